package io.vigil.receiver.alertmanager.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Alertmanager's webhook JSON (payload version 4). Strict where a wrong value would
 * mislead (version, status, times, alertname), lenient where Alertmanager may add fields: unknown
 * fields are ignored, as its docs ask of receivers. Errors name the field by its JSON path.
 */
public final class WebhookPayloadParser {

  /** Alertmanager writes the zero time as {@code endsAt} of an alert with no known end. */
  private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  // Nesting is two levels deep in a valid payload; a deep one is an attack, not an alert.
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(16).build());
  }

  private WebhookPayloadParser() {}

  public static WebhookPayload parse(byte[] body) throws PayloadException {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new PayloadException("body is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
              + ", column " + e.getLocation().getColumnNr()));
    } catch (IOException e) {
      throw new PayloadException("body is not readable JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new PayloadException("body must be a JSON object (an Alertmanager webhook payload)");
    }
    String version = text(root, "version", true);
    if (!version.equals("4")) {
      throw new PayloadException("version: expected \"4\" (Alertmanager's webhook payload"
          + " version), got \"" + version + "\"");
    }
    JsonNode alerts = root.get("alerts");
    if (alerts == null || !alerts.isArray()) {
      throw new PayloadException("alerts: required, an array");
    }
    List<Alert> parsed = new ArrayList<>(alerts.size());
    for (int i = 0; i < alerts.size(); i++) {
      parsed.add(alert(alerts.get(i), "alerts[" + i + "]"));
    }
    return new WebhookPayload(text(root, "groupKey", false), status(root, "status", false),
        text(root, "receiver", false), strings(root, "commonLabels", "commonLabels"),
        text(root, "externalURL", false), parsed);
  }

  private static Alert alert(JsonNode a, String path) throws PayloadException {
    if (!a.isObject()) {
      throw new PayloadException(path + ": must be an object");
    }
    Map<String, String> labels = strings(a, "labels", path + ".labels");
    String name = labels.get("alertname");
    if (name == null || name.isBlank()) {
      throw new PayloadException(path + ".labels.alertname: required");
    }
    String status = status(a, "status", true, path);
    Instant starts = time(a, "startsAt", path);
    if (starts == null) {
      throw new PayloadException(path + ".startsAt: required");
    }
    Instant ends = time(a, "endsAt", path);
    if ("resolved".equals(status) && ends == null) {
      throw new PayloadException(path + ".endsAt: required on a resolved alert");
    }
    return new Alert(status, labels, strings(a, "annotations", path + ".annotations"), starts,
        ends, text(a, "generatorURL", false, path), text(a, "fingerprint", false, path));
  }

  private static String status(JsonNode n, String field, boolean required)
      throws PayloadException {
    return status(n, field, required, null);
  }

  private static String status(JsonNode n, String field, boolean required, String path)
      throws PayloadException {
    String s = text(n, field, required, path);
    if (s != null && !s.equals("firing") && !s.equals("resolved")) {
      throw new PayloadException(name(path, field) + ": expected \"firing\" or \"resolved\","
          + " got \"" + s + "\"");
    }
    return s;
  }

  private static Instant time(JsonNode n, String field, String path) throws PayloadException {
    String s = text(n, field, false, path);
    if (s == null || s.isEmpty()) {
      return null;
    }
    Instant t;
    try {
      t = OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      throw new PayloadException(name(path, field) + ": expected an RFC 3339 time, got \""
          + abbreviate(s) + "\"");
    }
    return t.equals(GO_ZERO_TIME) ? null : t;
  }

  private static String text(JsonNode n, String field, boolean required)
      throws PayloadException {
    return text(n, field, required, null);
  }

  private static String text(JsonNode n, String field, boolean required, String path)
      throws PayloadException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new PayloadException(name(path, field) + ": required");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new PayloadException(name(path, field) + ": must be a string, got "
          + v.getNodeType().name().toLowerCase());
    }
    return v.asText();
  }

  private static Map<String, String> strings(JsonNode n, String field, String path)
      throws PayloadException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return Map.of();
    }
    if (!v.isObject()) {
      throw new PayloadException(path + ": must be an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    var fields = v.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      if (!e.getValue().isTextual()) {
        throw new PayloadException(path + "." + e.getKey() + ": must be a string, got "
            + e.getValue().getNodeType().name().toLowerCase());
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return Collections.unmodifiableMap(out);
  }

  private static String name(String path, String field) {
    return path == null ? field : path + "." + field;
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }
}
