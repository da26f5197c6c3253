package io.vigil.exporter.incidents.internal;

import io.vigil.core.config.ConfigException;
import io.vigil.exporter.incidents.Evidence;
import io.vigil.exporter.incidents.Incident;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code links} of the config, rendered per incident: Jaeger, Kibana, Grafana, a console, any
 * URL with placeholders. Rendered when an incident is read, not stored, so a changed URL applies
 * to old incidents too.
 */
public final class LinkTemplates {

  /** One rendered link; {@code traceId} is set for links made per exemplar trace. */
  public record Link(String name, String url, String traceId) {}

  static final Set<String> PLACEHOLDERS = Set.of("trace_id", "service", "incident_id", "start",
      "end", "start_ms", "end_ms");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

  private final Map<String, String> templates;
  private final int maxTraceLinks;

  public LinkTemplates(Map<String, String> templates, int maxTraceLinks) {
    this.templates = new LinkedHashMap<>(templates);
    this.maxTraceLinks = maxTraceLinks;
  }

  /** Fails with the key path of a template that is not an http(s) URL or has an unknown name. */
  public static void validate(Map<String, String> templates) {
    templates.forEach((name, url) -> {
      String key = "links::" + name;
      if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
        throw new ConfigException(key, "must be an http:// or https:// URL template, got \""
            + url + "\"");
      }
      Matcher m = PLACEHOLDER.matcher(url);
      while (m.find()) {
        if (!PLACEHOLDERS.contains(m.group(1))) {
          throw new ConfigException(key, "unknown placeholder {" + m.group(1)
              + "} (known: {trace_id}, {service}, {incident_id}, {start}, {end}, {start_ms},"
              + " {end_ms})");
        }
      }
    });
  }

  public List<Link> render(Incident incident) {
    Instant start = incident.evidence().stream().map(Evidence::windowStart)
        .min(Instant::compareTo).orElse(incident.opened());
    Instant end = incident.lastEvidence();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("service", incident.origin());
    values.put("incident_id", incident.id());
    values.put("start", start.toString());
    values.put("end", end.toString());
    values.put("start_ms", Long.toString(start.toEpochMilli()));
    values.put("end_ms", Long.toString(end.toEpochMilli()));
    List<String> traces = incident.traceIds();
    List<Link> out = new ArrayList<>();
    templates.forEach((name, template) -> {
      if (template.contains("{trace_id}")) {
        for (String t : traces.subList(0, Math.min(maxTraceLinks, traces.size()))) {
          Map<String, String> v = new LinkedHashMap<>(values);
          v.put("trace_id", t);
          out.add(new Link(name, fill(template, v), t));
        }
      } else {
        out.add(new Link(name, fill(template, values), null));
      }
    });
    return out;
  }

  private static String fill(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(
          URLEncoder.encode(values.getOrDefault(m.group(1), ""), StandardCharsets.UTF_8)));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
