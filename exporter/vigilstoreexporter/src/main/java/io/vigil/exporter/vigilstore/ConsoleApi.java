package io.vigil.exporter.vigilstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's JSON API, independent of HTTP: a path and a query string in, a status and a
 * JSON body out. Times in parameters are Unix milliseconds ({@code from}, {@code to}; default
 * the last hour); a parameter that cannot be read is a 400 naming it.
 */
final class ConsoleApi {

  record Answer(int status, byte[] body) {}

  private static final Pattern SERIES = Pattern.compile("/api/services/([^/]+)/series");
  private static final Pattern METRICS =
      Pattern.compile("/api/services/([^/]+)/metrics(?:/([^/]+))?");
  private static final Pattern TRACE = Pattern.compile("/api/traces/([0-9a-fA-F]{1,32})");
  private static final Pattern INCIDENT = Pattern.compile("/api/incidents/([^/]+)(/similar)?");
  private static final Pattern INCIDENT_ACTION = Pattern.compile("/api/incidents/([^/]+)/([a-z]+)");
  /** A name a person gives for the timeline: letters, digits and a few separators. */
  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._@-]{1,64}");
  private static final int MAX_TEXT = 4000;
  private static final Map<String, Integer> SEVERITIES = Map.of(
      "trace", 1, "debug", 5, "info", 9, "warn", 13, "error", 17, "fatal", 21);
  private static final int MAX_BUCKETS = 1000;
  private static final int MAX_LIMIT = 5000;
  /** Lines on one metric chart: more cannot be told apart. */
  private static final int MAX_LINES = 50;

  private final TelemetryQuery query;
  private final IncidentSource incidents;
  private final Clock clock;

  ConsoleApi(TelemetryQuery query, IncidentSource incidents, Clock clock) {
    this.query = query;
    this.incidents = incidents;
    this.clock = clock;
  }

  /** A parameter that cannot be read; answered 400 with its name. */
  static final class BadParameter extends RuntimeException {
    BadParameter(String name, String problem) {
      super(name + ": " + problem);
    }
  }

  Answer answer(String path, String rawQuery) {
    Map<String, String> p = parameters(rawQuery);
    try {
      if (path.equals("/api/services")) {
        return ok(query.services(range(p)));
      }
      Matcher m = SERIES.matcher(path);
      if (m.matches()) {
        String service = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        return ok(query.series(service, range(p), integer(p, "buckets", 60, 1, MAX_BUCKETS)));
      }
      Matcher mc = METRICS.matcher(path);
      if (mc.matches()) {
        String service = URLDecoder.decode(mc.group(1), StandardCharsets.UTF_8);
        if (mc.group(2) == null) {
          return ok(query.metrics(service, range(p)));
        }
        String metric = URLDecoder.decode(mc.group(2), StandardCharsets.UTF_8);
        return ok(query.metricChart(service, metric, range(p),
            integer(p, "buckets", 60, 1, MAX_BUCKETS), integer(p, "lines", 12, 1, MAX_LINES)));
      }
      Matcher t = TRACE.matcher(path);
      if (t.matches()) {
        String id = t.group(1);
        return query.trace(id)
            .map(ConsoleApi::ok)
            .orElseGet(() -> error(404, "no trace " + id + " in the store"));
      }
      if (path.equals("/api/logs")) {
        LogSearch s = LogSearch.in(range(p), integer(p, "limit", 100, 1, MAX_LIMIT))
            .service(p.get("service"))
            .minSeverity(severity(p.get("severity")))
            .text(p.get("q"))
            .traceId(p.get("trace_id"))
            .templateId(p.get("template_id"));
        return ok(query.logs(s));
      }
      if (path.equals("/api/patterns")) {
        return ok(query.patterns(range(p), p.getOrDefault("service", ""),
            integer(p, "buckets", 30, 1, MAX_BUCKETS), integer(p, "limit", 100, 1, MAX_LIMIT)));
      }
      if (path.equals("/api/categories")) {
        return incidents.categories();
      }
      if (path.equals("/api/incidents")) {
        integer(p, "limit", 100, 1, MAX_LIMIT);
        return incidents.list(p);
      }
      Matcher i = INCIDENT.matcher(path);
      if (i.matches()) {
        String id = URLDecoder.decode(i.group(1), StandardCharsets.UTF_8);
        return i.group(2) == null ? incidents.incident(id)
            : incidents.similar(id, integer(p, "k", 5, 1, 100));
      }
      return error(404, "no API at " + path);
    } catch (BadParameter e) {
      return error(400, e.getMessage());
    }
  }

  /**
   * A POST: an incident's state change ({@code /api/incidents/{id}/acknowledge}, {@code
   * resolve}, {@code reopen}) or a chat message ({@code /api/chat/messages}), passed to the
   * incidents API with only the fields it defines. The actor is {@code console:<by>}, so the
   * incident's timeline says the change came through the console and from whom.
   */
  Answer post(String path, byte[] body) {
    ObjectNode in;
    try {
      JsonNode n = body.length == 0 ? LuceneDocuments.JSON.createObjectNode()
          : LuceneDocuments.JSON.readTree(body);
      if (!(n instanceof ObjectNode o)) {
        return error(400, "request body must be a JSON object");
      }
      in = o;
    } catch (IOException e) {
      return error(400, "request body is not valid JSON");
    }
    try {
      String by = by(in);
      if (path.equals("/api/chat/messages")) {
        return incidents.chat(LuceneDocuments.JSON.createObjectNode()
            .put("text", text(in, "text", true)).put("by", by));
      }
      Matcher a = INCIDENT_ACTION.matcher(path);
      if (a.matches() && IncidentsApiClient.ACTIONS.contains(a.group(2))) {
        String id = URLDecoder.decode(a.group(1), StandardCharsets.UTF_8);
        ObjectNode out = LuceneDocuments.JSON.createObjectNode().put("by", "console:" + by);
        String note = text(in, "note", a.group(2).equals("resolve"));
        if (note != null) {
          out.put("note", note);
        }
        if (a.group(2).equals("resolve")) {
          out.put("category", text(in, "category", true));
        }
        return incidents.act(id, a.group(2), out);
      }
      return error(404, "no API to POST to at " + path);
    } catch (BadParameter e) {
      return error(400, e.getMessage());
    }
  }

  /** Who acts: the name the page was given, else {@code anonymous}. */
  private static String by(ObjectNode in) {
    String by = text(in, "by", false);
    if (by == null || by.isBlank()) {
      return "anonymous";
    }
    if (!NAME.matcher(by.strip()).matches()) {
      throw new BadParameter("by", "a name of up to 64 letters, digits, spaces and . _ @ -");
    }
    return by.strip();
  }

  private static String text(ObjectNode in, String field, boolean required) {
    JsonNode v = in.get(field);
    if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
      if (required) {
        throw new BadParameter(field, "required");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new BadParameter(field, "must be a string");
    }
    if (v.asText().length() > MAX_TEXT) {
      throw new BadParameter(field, "longer than " + MAX_TEXT + " characters");
    }
    return v.asText();
  }

  private TimeRange range(Map<String, String> p) {
    long now = clock.millis();
    long to = number(p, "to", now);
    long from = number(p, "from", to - Duration.ofHours(1).toMillis());
    if (to <= from) {
      throw new BadParameter("from", "must be before to (" + from + " >= " + to + ")");
    }
    return new TimeRange(from * 1_000_000L, to * 1_000_000L);
  }

  private static long number(Map<String, String> p, String name, long otherwise) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      return otherwise;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new BadParameter(name, "expected Unix milliseconds, got \"" + v + "\"");
    }
  }

  private static int integer(Map<String, String> p, String name, int otherwise, int min, int max) {
    long v = number(p, name, otherwise);
    if (v < min || v > max) {
      throw new BadParameter(name, "must be between " + min + " and " + max + ", got " + v);
    }
    return (int) v;
  }

  /** A severity name (warn, error, ...) or an OTLP severity number. */
  private static int severity(String v) {
    if (v == null || v.isEmpty()) {
      return 0;
    }
    Integer n = SEVERITIES.get(v.toLowerCase(Locale.ROOT));
    if (n != null) {
      return n;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new BadParameter("severity", "expected trace, debug, info, warn, error, fatal or"
          + " a number 1-24, got \"" + v + "\"");
    }
  }

  private static Map<String, String> parameters(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  static Answer ok(Object body) {
    try {
      return new Answer(200, LuceneDocuments.JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      return error(500, "could not write the answer: " + e.getOriginalMessage());
    }
  }

  static Answer error(int status, String message) {
    return new Answer(status, LuceneDocuments.JSON.createObjectNode().put("error", message)
        .toString().getBytes(StandardCharsets.UTF_8));
  }
}
