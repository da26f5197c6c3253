package io.vigil.exporter.vigilstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link TelemetryQuery} over the indices the {@code elasticsearch} exporter writes in its
 * default ECS mode ({@code logs-*} and {@code traces-*} data streams), through the search API
 * over plain HTTP, so it works against Elasticsearch 7.10+ and OpenSearch alike. Aggregations
 * run in the engine; its percentiles are t-digest estimates, where the embedded store's are
 * exact. ECS keeps no span events, so spans come back without them.
 */
public final class SearchEngineTelemetryQuery implements TelemetryQuery {

  private static final int MAX_TRACE_ITEMS = 10_000;
  private static final Map<String, String> OUTCOME_TO_STATUS =
      Map.of("failure", "error", "success", "ok");
  /** ECS fields read into records; the rest of a document becomes the record's attributes. */
  private static final List<String> CONSUMED = List.of("@timestamp", "message", "log.level",
      "event.severity", "event.duration", "event.outcome", "trace.id", "span.id", "parent.id",
      "span.name", "span.kind", "service.name", "labels.log_template_id", "labels.log_template",
      "data_stream.type", "data_stream.dataset", "data_stream.namespace");

  private final URI endpoint;
  private final String logsIndex;
  private final String tracesIndex;
  private final String authorization;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * @param logsIndex index pattern of log records, e.g. {@code logs-*}
   * @param tracesIndex index pattern of spans, e.g. {@code traces-*}
   * @param authorization the {@code Authorization} header value, or empty
   */
  public SearchEngineTelemetryQuery(URI endpoint, String logsIndex, String tracesIndex,
      String authorization, Duration timeout) {
    this.endpoint = endpoint;
    this.logsIndex = logsIndex;
    this.tracesIndex = tracesIndex;
    this.authorization = authorization;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public Optional<TraceView> trace(String traceId) {
    String id = traceId.toLowerCase(java.util.Locale.ROOT);
    ObjectNode q = search(MAX_TRACE_ITEMS, term("trace.id", id), "asc");
    List<StoredSpan> spans = new ArrayList<>();
    for (JsonNode hit : hits(tracesIndex, q)) {
      spans.add(span(hit.path("_source")));
    }
    List<StoredLog> logs = new ArrayList<>();
    for (JsonNode hit : hits(logsIndex, q)) {
      logs.add(log(hit.path("_source")));
    }
    return spans.isEmpty() && logs.isEmpty() ? Optional.empty()
        : Optional.of(new TraceView(id, spans, logs));
  }

  @Override
  public List<StoredLog> logs(LogSearch s) {
    ArrayNode filter = LuceneDocuments.JSON.createArrayNode();
    filter.add(timeRange(s.range()));
    if (!s.service().isEmpty()) {
      filter.add(term("service.name", s.service()));
    }
    if (s.minSeverity() > 0) {
      filter.add(obj("range", obj("event.severity", obj("gte", s.minSeverity()))));
    }
    if (!s.traceId().isEmpty()) {
      filter.add(term("trace.id", s.traceId()));
    }
    if (!s.templateId().isEmpty()) {
      filter.add(term("labels.log_template_id", s.templateId()));
    }
    if (!s.text().isBlank()) {
      filter.add(obj("match", obj("message",
          obj("query", s.text()).put("operator", "and"))));
    }
    List<StoredLog> out = new ArrayList<>();
    for (JsonNode hit : hits(logsIndex, search(s.limit(), bool(filter), "desc"))) {
      out.add(log(hit.path("_source")));
    }
    return out;
  }

  @Override
  public List<LogPattern> patterns(TimeRange range, String service, int buckets, int limit) {
    ArrayNode filter = LuceneDocuments.JSON.createArrayNode();
    filter.add(timeRange(range));
    filter.add(obj("exists", obj("field", "labels.log_template_id")));
    if (service != null && !service.isEmpty()) {
      filter.add(term("service.name", service));
    }
    ObjectNode terms = obj("field", "labels.log_template_id").put("size", limit);
    terms.set("order", LuceneDocuments.JSON.createArrayNode()
        .add(obj("_count", "desc")).add(obj("_key", "asc")));
    ObjectNode byTemplate = obj("terms", terms);
    ObjectNode sub = LuceneDocuments.JSON.createObjectNode();
    sub.set("over_time", histogram(range, buckets));
    ObjectNode sample = obj("size", 1);
    sample.set("_source", LuceneDocuments.JSON.createArrayNode()
        .add("message").add("labels.log_template").add("service.name"));
    sub.set("sample", obj("top_hits", sample));
    byTemplate.set("aggs", sub);
    ObjectNode body = obj("size", 0);
    body.set("query", bool(filter));
    body.set("aggs", obj("templates", byTemplate));
    JsonNode answer = post(logsIndex, body);
    List<LogPattern> out = new ArrayList<>();
    for (JsonNode b : answer.path("aggregations").path("templates").path("buckets")) {
      JsonNode src = b.path("sample").path("hits").path("hits").path(0).path("_source");
      out.add(new LogPattern(b.path("key").asText(), field(src, "labels.log_template"),
          field(src, "service.name"), b.path("doc_count").asLong(),
          counts(b.path("over_time"), range, buckets), field(src, "message")));
    }
    return out;
  }

  @Override
  public List<ServiceSummary> services(TimeRange range) {
    ObjectNode byService = obj("terms", obj("field", "service.name").put("size", 10_000)
        .set("order", obj("_key", "asc")));
    byService.set("aggs", requestAggs());
    ObjectNode body = obj("size", 0);
    body.set("query", entrySpans(range, ""));
    body.set("aggs", obj("services", byService));
    List<ServiceSummary> out = new ArrayList<>();
    for (JsonNode b : post(tracesIndex, body).path("aggregations").path("services")
        .path("buckets")) {
      long requests = b.path("doc_count").asLong();
      long errors = b.path("failed").path("doc_count").asLong();
      JsonNode p = b.path("latency").path("values");
      out.add(new ServiceSummary(b.path("key").asText(), requests, errors,
          requests / range.seconds(), requests == 0 ? 0 : (double) errors / requests,
          ms(p, "50.0"), ms(p, "95.0"), ms(p, "99.0")));
    }
    return out;
  }

  @Override
  public ServiceSeries series(String service, TimeRange range, int buckets) {
    ObjectNode overTime = histogram(range, buckets);
    ObjectNode aggs = requestAggs();
    ObjectNode slowest = obj("size", 1);
    slowest.set("sort", LuceneDocuments.JSON.createArrayNode()
        .add(obj("event.duration", "desc")));
    slowest.set("_source", LuceneDocuments.JSON.createArrayNode()
        .add("trace.id").add("event.duration"));
    aggs.set("slowest", obj("top_hits", slowest));
    overTime.set("aggs", aggs);
    ObjectNode body = obj("size", 0);
    body.set("query", entrySpans(range, service));
    body.set("aggs", obj("over_time", overTime));
    JsonNode answer = post(tracesIndex, body).path("aggregations").path("over_time");
    long width = range.bucketNanos(buckets);
    ServiceSeries.Bucket[] out = new ServiceSeries.Bucket[buckets];
    for (int i = 0; i < buckets; i++) {
      out[i] = new ServiceSeries.Bucket(range.fromNanos() + i * width, 0, 0, 0, 0, 0, "", 0);
    }
    for (JsonNode b : answer.path("buckets")) {
      int i = range.bucket(b.path("key").asLong() * 1_000_000L, buckets);
      if (i < 0 || b.path("doc_count").asLong() == 0) {
        continue;
      }
      JsonNode p = b.path("latency").path("values");
      JsonNode ex = b.path("slowest").path("hits").path("hits").path(0).path("_source");
      out[i] = new ServiceSeries.Bucket(out[i].startNanos(), b.path("doc_count").asLong(),
          b.path("failed").path("doc_count").asLong(), ms(p, "50.0"), ms(p, "95.0"),
          ms(p, "99.0"), field(ex, "trace.id"), number(ex, "event.duration") / 1e6);
    }
    return new ServiceSeries(service, width, List.of(out));
  }

  /** Failures and latency percentiles of a set of spans. */
  private static ObjectNode requestAggs() {
    ObjectNode aggs = LuceneDocuments.JSON.createObjectNode();
    aggs.set("failed", obj("filter", term("event.outcome", "failure")));
    ObjectNode percentiles = obj("field", "event.duration");
    percentiles.set("percents", LuceneDocuments.JSON.createArrayNode().add(50).add(95).add(99));
    aggs.set("latency", obj("percentiles", percentiles));
    return aggs;
  }

  /** Server and consumer spans and roots, as {@link StoredSpan#entry()} says. */
  private static ObjectNode entrySpans(TimeRange range, String service) {
    ArrayNode filter = LuceneDocuments.JSON.createArrayNode();
    filter.add(timeRange(range));
    if (!service.isEmpty()) {
      filter.add(term("service.name", service));
    }
    ArrayNode should = LuceneDocuments.JSON.createArrayNode();
    should.add(obj("terms", obj("span.kind", LuceneDocuments.JSON.createArrayNode()
        .add("server").add("consumer"))));
    should.add(obj("bool", obj("must_not", obj("exists", obj("field", "parent.id")))));
    ObjectNode entry = obj("should", should).put("minimum_should_match", 1);
    filter.add(obj("bool", entry));
    return bool(filter);
  }

  /** Buckets of the range's width aligned on its start (the offset), empty ones included. */
  private static ObjectNode histogram(TimeRange range, int buckets) {
    long widthMs = Math.max(1, range.bucketNanos(buckets) / 1_000_000L);
    long fromMs = range.fromNanos() / 1_000_000L;
    ObjectNode h = obj("field", "@timestamp")
        .put("fixed_interval", widthMs + "ms")
        .put("offset", Math.floorMod(fromMs, widthMs) + "ms")
        .put("min_doc_count", 0);
    h.set("extended_bounds", obj("min", fromMs).put("max", range.toNanos() / 1_000_000L - 1));
    return obj("date_histogram", h);
  }

  private static long[] counts(JsonNode histogram, TimeRange range, int buckets) {
    long[] out = new long[buckets];
    for (JsonNode b : histogram.path("buckets")) {
      int i = range.bucket(b.path("key").asLong() * 1_000_000L, buckets);
      if (i >= 0) {
        out[i] += b.path("doc_count").asLong();
      }
    }
    return out;
  }

  private static ObjectNode search(int size, ObjectNode query, String order) {
    ObjectNode body = obj("size", size);
    body.set("query", query);
    body.set("sort", LuceneDocuments.JSON.createArrayNode().add(obj("@timestamp", order)));
    return body;
  }

  private static ObjectNode timeRange(TimeRange r) {
    return obj("range", obj("@timestamp", obj("gte", iso(r.fromNanos()))
        .put("lt", iso(r.toNanos())).put("format", "strict_date_optional_time_nanos")));
  }

  private static String iso(long nanos) {
    return Instant.ofEpochSecond(0, nanos).toString();
  }

  private static ObjectNode bool(ArrayNode filter) {
    return obj("bool", obj("filter", filter));
  }

  private static ObjectNode term(String field, String value) {
    return obj("term", obj(field, value));
  }

  private static ObjectNode obj(String key, Object value) {
    ObjectNode o = LuceneDocuments.JSON.createObjectNode();
    if (value instanceof JsonNode n) {
      o.set(key, n);
    } else if (value instanceof Integer i) {
      o.put(key, i);
    } else if (value instanceof Long l) {
      o.put(key, l);
    } else {
      o.put(key, String.valueOf(value));
    }
    return o;
  }

  private Iterable<JsonNode> hits(String index, ObjectNode body) {
    return post(index, body).path("hits").path("hits");
  }

  private JsonNode post(String index, ObjectNode body) {
    HttpRequest.Builder r = HttpRequest.newBuilder(endpoint.resolve("/" + index
            + "/_search?ignore_unavailable=true&allow_no_indices=true"))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (!authorization.isEmpty()) {
      r.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> answer = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("search on " + endpoint + "/" + index + " answered "
            + answer.statusCode() + ": " + answer.body());
      }
      return LuceneDocuments.JSON.readTree(answer.body());
    } catch (IOException e) {
      throw new UncheckedIOException("search on " + endpoint + "/" + index + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while searching " + endpoint, e);
    }
  }

  private static StoredSpan span(JsonNode src) {
    long start = nanos(field(src, "@timestamp"));
    long duration = (long) number(src, "event.duration");
    String outcome = field(src, "event.outcome");
    return new StoredSpan(field(src, "trace.id"), field(src, "span.id"),
        field(src, "parent.id"), field(src, "service.name"), field(src, "span.name"),
        field(src, "span.kind"), OUTCOME_TO_STATUS.getOrDefault(outcome, "unset"),
        field(src, "error.message"), start, start + duration, attributes(src), List.of());
  }

  private static StoredLog log(JsonNode src) {
    return new StoredLog(nanos(field(src, "@timestamp")), field(src, "service.name"),
        (int) number(src, "event.severity"), field(src, "log.level"), field(src, "message"),
        field(src, "trace.id"), field(src, "span.id"), field(src, "labels.log_template_id"),
        field(src, "labels.log_template"), attributes(src));
  }

  private static long nanos(String iso) {
    return iso.isEmpty() ? 0 : TimeRange.nanos(Instant.parse(iso));
  }

  private static double ms(JsonNode percentiles, String key) {
    JsonNode v = percentiles.path(key);
    return v.isNumber() ? v.asDouble() / 1e6 : 0;
  }

  /**
   * A dotted field of a document: the engine returns {@code _source} as sent, nested objects,
   * with a dotted key where the exporter had to keep one.
   */
  static JsonNode at(JsonNode src, String path) {
    JsonNode direct = src.get(path);
    if (direct != null) {
      return direct;
    }
    int dot = path.indexOf('.');
    while (dot > 0) {
      JsonNode head = src.get(path.substring(0, dot));
      if (head != null && head.isObject()) {
        JsonNode found = at(head, path.substring(dot + 1));
        if (found != null && !found.isMissingNode()) {
          return found;
        }
      }
      dot = path.indexOf('.', dot + 1);
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static String field(JsonNode src, String path) {
    JsonNode v = at(src, path);
    return v.isValueNode() ? v.asText() : "";
  }

  private static double number(JsonNode src, String path) {
    return at(src, path).asDouble(0);
  }

  /** Every leaf not read into the record, under its dotted name. */
  private static Map<String, Object> attributes(JsonNode src) {
    Map<String, Object> out = new LinkedHashMap<>();
    flatten("", src, out);
    CONSUMED.forEach(out::remove);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, Object> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isNumber()) {
      out.put(prefix, node.numberValue());
    } else if (node.isBoolean()) {
      out.put(prefix, node.booleanValue());
    } else if (!node.isNull()) {
      out.put(prefix, node.isTextual() ? node.asText() : node.toString());
    }
  }

  /** None: the {@code elasticsearch} exporter writes logs and spans, not metrics. */
  @Override
  public List<MetricSummary> metrics(String service, TimeRange range) {
    return List.of();
  }

  /** Empty, as {@link #metrics}. */
  @Override
  public MetricChart metricChart(String service, String metric, TimeRange range, int buckets,
      int maxLines) {
    long width = range.bucketNanos(buckets);
    List<Long> starts = new java.util.ArrayList<>(buckets);
    for (int i = 0; i < buckets; i++) {
      starts.add(range.fromNanos() + i * width);
    }
    return new MetricChart(service, metric, width, starts, List.of(), 0);
  }
}
