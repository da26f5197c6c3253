package io.vigil.exporter.vigilstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.vigil.testing.PrometheusServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's metric questions answered by a real Prometheus (Debian's), scraping a target
 * that exposes two services' series the way Vigil's prometheus exporter names them.
 */
class PrometheusMetricsTest {
  private static final String EXPOSITION = String.join("\n",
      "# TYPE jvm_memory_used_bytes gauge",
      "jvm_memory_used_bytes{job=\"storefront\",instance=\"i-1\",jvm_memory_type=\"heap\"} 100",
      "jvm_memory_used_bytes{job=\"storefront\",instance=\"i-1\",jvm_memory_type=\"non_heap\"} 50",
      "jvm_memory_used_bytes{job=\"cart\",instance=\"i-2\",jvm_memory_type=\"heap\"} 7",
      "# TYPE http_server_requests_total counter",
      "http_server_requests_total{job=\"cart\",instance=\"i-2\"} 3",
      "");

  @TempDir static Path dir;
  static HttpServer target;
  static PrometheusServer prometheus;
  static PrometheusMetrics metrics;

  @BeforeAll
  static void start() throws IOException {
    Assumptions.assumeTrue(PrometheusServer.binary() != null,
        "skipped: no prometheus binary on PATH (apt-get install prometheus; .ci/run does)");
    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext("/metrics", ex -> {
      byte[] body = EXPOSITION.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    target.start();
    prometheus = PrometheusServer.start(dir, List.of("127.0.0.1:" + target.getAddress().getPort()));
    metrics = new PrometheusMetrics(URI.create(prometheus.baseUrl()), "", Duration.ofSeconds(10));
    // Three scrapes (one a second), so the last minute's buckets hold samples.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
        prometheus.value("count_over_time(jvm_memory_used_bytes{job=\"storefront\",jvm_memory_type=\"heap\"}[1m])") >= 3);
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (target != null) {
      target.stop(0);
    }
  }

  private static TimeRange lastMinute() {
    Instant now = Instant.now();
    return TimeRange.of(now.minusSeconds(60), now.plusSeconds(1));
  }

  @Test
  void listsOnlyTheServicesOwnMetricsWithTheirSeries() {
    List<MetricSummary> m = metrics.metrics("storefront", lastMinute());
    assertThat(m).extracting(MetricSummary::name).containsExactly("jvm_memory_used_bytes");
    assertThat(m.get(0).series()).isEqualTo(2);
    assertThat(metrics.metrics("cart", lastMinute())).extracting(MetricSummary::name)
        .containsExactly("http_server_requests_total", "jvm_memory_used_bytes");
  }

  @Test
  void chartsALinePerLabelSetWithTheBucketMeans() {
    MetricChart c = metrics.metricChart("storefront", "jvm_memory_used_bytes", lastMinute(), 12, 5);
    assertThat(c.bucketStarts()).hasSize(12);
    assertThat(c.lines()).extracting(MetricChart.Line::series)
        .containsExactlyInAnyOrder("{jvm_memory_type=heap}", "{jvm_memory_type=non_heap}");
    for (MetricChart.Line line : c.lines()) {
      double expected = line.series().contains("non_heap") ? 50 : 100;
      assertThat(line.values()).hasSize(12);
      assertThat(line.values().stream().filter(Objects::nonNull).toList())
          .isNotEmpty().allSatisfy(v -> assertThat(v).isEqualTo(expected));
      assertThat(line.scores()).isEmpty();
    }
    assertThat(metrics.metricChart("storefront", "jvm_memory_used_bytes", lastMinute(), 12, 1)
        .linesOmitted()).isEqualTo(1);
  }

  @Test
  void hostileNamesAskForNothingAndBreakNothing() {
    assertThat(metrics.metrics("store\"front", lastMinute())).isEmpty();
    assertThat(metrics.metricChart("storefront", "up} or vector(1", lastMinute(), 12, 5).lines())
        .isEmpty();
  }
}
