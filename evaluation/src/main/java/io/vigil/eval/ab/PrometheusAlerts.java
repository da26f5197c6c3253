package io.vigil.eval.ab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The firing episodes of a Prometheus server's alerting rules over a time range, read from its
 * {@code ALERTS} series: Prometheus writes {@code ALERTS{alertstate="firing"}} at every
 * evaluation at which a rule fires (its {@code for} elapsed), so each run of consecutive samples
 * is one episode, and its first sample is when Alertmanager would have been told.
 */
public final class PrometheusAlerts {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String QUERY = "ALERTS{alertstate=\"firing\"}";

  private PrometheusAlerts() {}

  /** {@code /api/v1/query_range} of the firing alerts, the answer's JSON as Prometheus gave it. */
  public static JsonNode fetch(String baseUrl, Instant from, Instant to, Duration step)
      throws IOException, InterruptedException {
    String url = baseUrl + "/api/v1/query_range?query="
        + URLEncoder.encode(QUERY, StandardCharsets.UTF_8) + "&start=" + from.getEpochSecond()
        + "&end=" + to.getEpochSecond() + "&step=" + step.toSeconds() + "s";
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("Prometheus answered HTTP " + r.statusCode() + " to " + url + ": "
          + r.body());
    }
    return JSON.readTree(r.body());
  }

  /**
   * The episodes in a query_range answer: a gap longer than {@code step} between samples of one
   * series ends an episode. {@code serviceLabel} names the service; its value's part after the
   * last '/' is taken (an OTLP job is {@code service.namespace/service.name}).
   */
  public static List<AlertEpisode> episodes(JsonNode queryRange, Duration step,
      String serviceLabel) {
    if (!"success".equals(queryRange.path("status").asText())) {
      throw new IllegalArgumentException("not a successful query_range answer: "
          + queryRange.path("error").asText(queryRange.toString()));
    }
    List<AlertEpisode> out = new ArrayList<>();
    for (JsonNode series : queryRange.path("data").path("result")) {
      String rule = series.path("metric").path("alertname").asText();
      String service = series.path("metric").path(serviceLabel).asText("");
      service = service.substring(service.lastIndexOf('/') + 1);
      double last = Double.NEGATIVE_INFINITY;
      for (JsonNode point : series.path("values")) {
        double t = point.get(0).asDouble();
        if (t - last > step.toSeconds()) {
          out.add(new AlertEpisode(rule, service,
              Instant.ofEpochMilli(Math.round(t * 1000))));
        }
        last = t;
      }
    }
    out.sort(Comparator.comparing(AlertEpisode::firedAt));
    return out;
  }
}
