package io.vigil.exporter.vigilstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A service's metrics from Prometheus's HTTP API, for a console that reads a cluster's backends
 * instead of its own store: Prometheus holds what the {@code prometheus} and
 * {@code prometheusremotewrite} exporters wrote, with {@code job} = the service (as those
 * exporters set it). Names and labels are Prometheus's ({@code jvm_memory_used_bytes},
 * {@code jvm_memory_type}); anomaly scores are not read from Prometheus, so lines come unscored.
 */
final class PrometheusMetrics {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  /** Labels every series of a job has, which say nothing about the line. */
  private static final List<String> IDENTITY = List.of("__name__", "job", "instance");

  private final URI base;
  private final String authorization;
  private final Duration timeout;
  private final HttpClient http;

  PrometheusMetrics(URI base, String authorization, Duration timeout) {
    this.base = base;
    this.authorization = authorization;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The service's metric names in the range, with their series counts (points not counted). */
  List<MetricSummary> metrics(String service, TimeRange range) {
    JsonNode data = get("/api/v1/series", Map.of(
        "match[]", "{job=" + quote(service) + "}",
        "start", seconds(range.fromNanos()),
        "end", seconds(range.toNanos())));
    Map<String, Integer> series = new TreeMap<>();
    for (JsonNode labels : data) {
      series.merge(labels.path("__name__").asText(), 1, Integer::sum);
    }
    List<MetricSummary> out = new ArrayList<>();
    series.forEach((name, n) -> out.add(new MetricSummary(name, 0, n, false)));
    return out;
  }

  /**
   * One metric per bucket: {@code avg_over_time} over each bucket, evaluated at its end, so a
   * bucket's value is the mean of the samples Prometheus holds in it, as the store's chart is.
   */
  MetricChart metricChart(String service, String metric, TimeRange range, int buckets,
      int maxLines) {
    long width = range.bucketNanos(buckets);
    List<Long> starts = new ArrayList<>(buckets);
    for (int i = 0; i < buckets; i++) {
      starts.add(range.fromNanos() + i * width);
    }
    if (!METRIC_NAME.matcher(metric).matches()) {
      return new MetricChart(service, metric, width, starts, List.of(), 0);
    }
    // Prometheus steps are whole milliseconds at best; buckets narrower than 1 s make no sense
    // at scrape intervals anyway.
    long stepMillis = Math.max(1000, width / 1_000_000);
    String query = "avg_over_time(" + metric + "{job=" + quote(service) + "}[" + stepMillis + "ms])";
    JsonNode data = get("/api/v1/query_range", Map.of(
        "query", query,
        "start", seconds(range.fromNanos() + width),
        "end", seconds(range.fromNanos() + buckets * width),
        // A float number of seconds: Prometheus refuses "5.083s" but takes "5.083".
        "step", String.format(java.util.Locale.ROOT, "%.3f", stepMillis / 1000.0)));
    List<MetricChart.Line> lines = new ArrayList<>();
    for (JsonNode result : data.path("result")) {
      List<Double> values = new ArrayList<>();
      for (int i = 0; i < buckets; i++) {
        values.add(null);
      }
      for (JsonNode v : result.path("values")) {
        long endNanos = (long) (v.get(0).asDouble() * 1e9);
        int bucket = (int) Math.round((endNanos - range.fromNanos()) / (double) width) - 1;
        if (bucket >= 0 && bucket < buckets) {
          values.set(bucket, parse(v.get(1).asText()));
        }
      }
      lines.add(new MetricChart.Line(labels(result.path("metric")), values, List.of()));
    }
    lines.sort(Comparator.comparingLong((MetricChart.Line l) ->
        l.values().stream().filter(x -> x != null).count()).reversed()
        .thenComparing(MetricChart.Line::series));
    int omitted = Math.max(0, lines.size() - maxLines);
    return new MetricChart(service, metric, width, starts,
        List.copyOf(lines.subList(0, Math.min(maxLines, lines.size()))), omitted);
  }

  private static Double parse(String s) {
    try {
      double d = Double.parseDouble(s);
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code {k=v, ...}} of the labels that tell lines apart, sorted by name. */
  private static String labels(JsonNode metric) {
    TreeMap<String, String> m = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = metric.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!IDENTITY.contains(e.getKey())) {
        m.put(e.getKey(), e.getValue().asText());
      }
    }
    return m.isEmpty() ? "" : m.toString();
  }

  /** A PromQL string literal. */
  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e9);
  }

  private JsonNode get(String path, Map<String, String> params) {
    StringBuilder q = new StringBuilder();
    params.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&")
        .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path + q)).timeout(timeout).GET();
    if (!authorization.isEmpty()) {
      r.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(resp.body());
      if (resp.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
        throw new IOException("Prometheus " + base + path + " answered " + resp.statusCode()
            + ": " + body.path("error").asText(resp.body()));
      }
      return body.path("data");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted", e));
    }
  }
}
