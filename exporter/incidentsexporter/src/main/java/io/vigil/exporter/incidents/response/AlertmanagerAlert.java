package io.vigil.exporter.incidents.response;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.config.ConfigException;
import io.vigil.exporter.incidents.ResponseConfig;
import io.vigil.exporter.incidents.response.action.ActionRefusedException;
import io.vigil.exporter.incidents.response.action.PlainTemplate;
import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code alertmanager} action's request: one alert, its labels and annotations templated
 * from the incident, POSTed to Alertmanager's {@code /api/v2/alerts} as Prometheus posts them, so
 * the alert is routed, grouped, silenced and inhibited like any other. Jackson writes the JSON,
 * so a value needs no escaping in the template.
 */
final class AlertmanagerAlert {

  /** Prometheus's label names; Alertmanager refuses the whole post for one that is not. */
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final ObjectMapper JSON = new ObjectMapper();

  static final Map<String, String> DEFAULT_LABELS = orderedMap("alertname", "VigilIncident",
      "service", "${incident.service}", "severity", "${incident.severity}");
  static final Map<String, String> DEFAULT_ANNOTATIONS = orderedMap("summary",
      "${incident.title}", "incident", "${incident.id}");

  private AlertmanagerAlert() {}

  private static Map<String, String> orderedMap(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }

  static void validate(ResponseConfig.Action a, String at) {
    if (a.labels == null) {
      throw new ConfigException(at + "::labels", "must be a map of label names to values");
    }
    for (Map.Entry<String, String> e : a.labels.entrySet()) {
      if (!LABEL_NAME.matcher(e.getKey()).matches()) {
        throw new ConfigException(at + "::labels::" + e.getKey(), "not a label name"
            + " ([a-zA-Z_][a-zA-Z0-9_]*)");
      }
      placeholders(e.getValue(), at + "::labels::" + e.getKey());
    }
    if (a.annotations != null) {
      a.annotations.forEach((k, v) -> placeholders(v, at + "::annotations::" + k));
    }
  }

  private static void placeholders(String template, String at) {
    try {
      PlainTemplate.check(template == null ? "" : template);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(at, e.getMessage());
    }
  }

  static URI endpoint(String base) {
    return URI.create(base.replaceAll("/+$", "") + "/api/v2/alerts");
  }

  /**
   * A JSON array of one alert starting {@code now}, with no end: Alertmanager resolves it after
   * its {@code resolve_timeout} unless the rule posts it again.
   */
  static String body(ResponseConfig.Action a, Map<String, String> values, Instant now) {
    ArrayNode alerts = JSON.createArrayNode();
    ObjectNode alert = alerts.addObject();
    ObjectNode labels = alert.putObject("labels");
    // An empty value is no label to Alertmanager; leaving it out keeps the alert's identity.
    (a.labels == null || a.labels.isEmpty() ? DEFAULT_LABELS : a.labels).forEach((k, v) -> {
      String rendered = PlainTemplate.render(v == null ? "" : v, values);
      if (!rendered.isEmpty()) {
        labels.put(k, rendered);
      }
    });
    if (labels.isEmpty()) {
      throw new ActionRefusedException("every label rendered empty; Alertmanager needs one");
    }
    ObjectNode annotations = alert.putObject("annotations");
    (a.annotations == null || a.annotations.isEmpty() ? DEFAULT_ANNOTATIONS : a.annotations)
        .forEach((k, v) -> annotations.put(k, PlainTemplate.render(v == null ? "" : v, values)));
    alert.put("startsAt", now.toString());
    return alerts.toString();
  }
}
