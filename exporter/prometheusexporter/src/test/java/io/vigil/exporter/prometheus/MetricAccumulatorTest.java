package io.vigil.exporter.prometheus;

import static io.vigil.exporter.prometheus.OtlpMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricAccumulatorTest {

  private static final AggregationTemporality CUMULATIVE =
      AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
  private static final AggregationTemporality DELTA =
      AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;

  private final PrometheusExporterConfig config = new PrometheusExporterConfig();
  private final MetricAccumulator acc = new MetricAccumulator(config);
  private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

  private String scrape() {
    return ScrapeText.openMetrics(acc, now);
  }

  @Test
  void cumulativeCounterIsExposedAsSentWithTotalSuffix() {
    acc.accumulate(request(checkout(), cumulativeCounter("http.server.requests", "{request}",
        point(T0, T0 + SECOND, 5, attr("http.route", "/a")))), now);
    acc.accumulate(request(checkout(), cumulativeCounter("http.server.requests", "{request}",
        point(T0, T0 + 2 * SECOND, 8, attr("http.route", "/a")))), now);
    assertThat(scrape()).contains(
        "http_server_requests_total{http_route=\"/a\",instance=\"c-1\",job=\"checkout\","
            + "otel_scope_name=\"test\"} 8.0");
  }

  @Test
  void counterResetIsExposedAsTheNewSmallerValueSoRateSeesTheReset() {
    acc.accumulate(request(checkout(), cumulativeCounter("jobs", "",
        point(T0, T0 + 10 * SECOND, 100))), now);
    long restart = T0 + 20 * SECOND;
    acc.accumulate(request(checkout(), cumulativeCounter("jobs", "",
        point(restart, restart + SECOND, 3))), now);
    assertThat(scrape()).containsPattern("jobs_total\\{[^}]*} 3\\.0");
    assertThat(acc.droppedPoints()).isZero();
  }

  @Test
  void deltaSumsAreAccumulatedIntoACumulativeCounter() {
    acc.accumulate(request(checkout(), deltaCounter("orders", "",
        point(T0, T0 + SECOND, 2))), now);
    acc.accumulate(request(checkout(), deltaCounter("orders", "",
        point(T0 + SECOND, T0 + 2 * SECOND, 3))), now);
    acc.accumulate(request(checkout(), deltaCounter("orders", "",
        point(T0 + 2 * SECOND, T0 + 3 * SECOND, 4))), now);
    assertThat(scrape()).containsPattern("orders_total\\{[^}]*} 9\\.0");
  }

  @Test
  void cumulativeAndDeltaOfTheSameCountsExposeTheSameValue() {
    MetricAccumulator cumulative = new MetricAccumulator(config);
    long[] deltas = {4, 0, 6, 1};
    long total = 0;
    for (int i = 0; i < deltas.length; i++) {
      total += deltas[i];
      acc.accumulate(request(checkout(), deltaCounter("bytes.sent", "By",
          point(T0 + i * SECOND, T0 + (i + 1) * SECOND, deltas[i]))), now);
      cumulative.accumulate(request(checkout(), cumulativeCounter("bytes.sent", "By",
          point(T0, T0 + (i + 1) * SECOND, total))), now);
    }
    // "bytes" is already a word of the name, so the collector's rule adds no second one.
    assertThat(scrape()).contains("bytes_sent_total{").containsPattern("} 11\\.0");
    assertThat(ScrapeText.openMetrics(cumulative, now)).isEqualTo(scrape());
  }

  @Test
  void deltaHistogramsAddBucketByBucket() {
    List<Double> bounds = List.of(10.0, 100.0);
    acc.accumulate(request(checkout(), histogram("latency", "ms", DELTA,
        histogramPoint(T0, T0 + SECOND, bounds, List.of(1L, 2L, 0L), 120))), now);
    acc.accumulate(request(checkout(), histogram("latency", "ms", DELTA,
        histogramPoint(T0 + SECOND, T0 + 2 * SECOND, bounds, List.of(0L, 1L, 1L), 550))), now);
    assertThat(scrape())
        .containsPattern("latency_milliseconds_bucket\\{[^}]*le=\"10.0\"[^}]*} 1\n")
        .containsPattern("latency_milliseconds_bucket\\{[^}]*le=\"100.0\"[^}]*} 4\n")
        .containsPattern("latency_milliseconds_bucket\\{[^}]*le=\"\\+Inf\"[^}]*} 5\n")
        .containsPattern("latency_milliseconds_sum\\{[^}]*} 670.0");
  }

  @Test
  void outOfOrderCumulativePointIsDropped() {
    acc.accumulate(request(checkout(), cumulativeCounter("c", "",
        point(T0, T0 + 5 * SECOND, 50))), now);
    acc.accumulate(request(checkout(), cumulativeCounter("c", "",
        point(T0, T0 + 3 * SECOND, 30))), now);
    assertThat(scrape()).containsPattern("c_total\\{[^}]*} 50\\.0");
    assertThat(acc.droppedPoints()).isEqualTo(1);
  }

  @Test
  void outOfOrderOrRepeatedDeltaIsDroppedNotAddedTwice() {
    acc.accumulate(request(checkout(), deltaCounter("d", "",
        point(T0 + SECOND, T0 + 2 * SECOND, 5))), now);
    acc.accumulate(request(checkout(), deltaCounter("d", "",
        point(T0 + SECOND, T0 + 2 * SECOND, 5))), now);
    acc.accumulate(request(checkout(), deltaCounter("d", "",
        point(T0, T0 + SECOND, 7))), now);
    assertThat(scrape()).containsPattern("d_total\\{[^}]*} 5\\.0");
    assertThat(acc.droppedPoints()).isEqualTo(2);
  }

  @Test
  void olderGaugePointDoesNotOverwriteNewer() {
    acc.accumulate(request(checkout(), gauge("queue.depth", "{item}",
        point(0, T0 + 2 * SECOND, 9))), now);
    acc.accumulate(request(checkout(), gauge("queue.depth", "{item}",
        point(0, T0 + SECOND, 1))), now);
    assertThat(scrape()).containsPattern("queue_depth\\{[^}]*} 9\\.0");
  }

  @Test
  void nameNeedingSanitisingAndUnitSuffixes() {
    acc.accumulate(request(checkout(),
        gauge("my-app.cache hit/ratio", "1", point(0, T0, 0.5)),
        gauge("jvm.memory.used", "By", point(0, T0, 1024, attr("jvm.memory.pool.name", "eden"))),
        gauge("2xx.responses", "{response}/s", point(0, T0, 3))), now);
    assertThat(scrape())
        .contains("my_app_cache_hit_ratio{")
        .doesNotContain("ratio_ratio")
        .contains("jvm_memory_used_bytes{instance=\"c-1\",job=\"checkout\","
            + "jvm_memory_pool_name=\"eden\"")
        .contains("# UNIT jvm_memory_used_bytes bytes")
        .contains("_2xx_responses_per_second{");
  }

  @Test
  void resourceBecomesTargetInfoAndJobInstance() {
    acc.accumulate(request(resource(attr("service.name", "checkout"),
            attr("service.namespace", "shop"), attr("service.instance.id", "c-1"),
            attr("host.name", "node-1")),
        gauge("g", "", point(0, T0, 1))), now);
    assertThat(scrape())
        .contains("target_info{host_name=\"node-1\",instance=\"c-1\",job=\"shop/checkout\"} 1")
        .containsPattern("g\\{instance=\"c-1\",job=\"shop/checkout\",otel_scope_name=\"test\"} 1\\.0");
  }

  @Test
  void promotedResourceAttributesBecomeLabels() {
    config.promoteResourceAttributes = List.of("host.name");
    MetricAccumulator promoted = new MetricAccumulator(config);
    promoted.accumulate(request(checkout(), gauge("g", "", point(0, T0, 1))), now);
    assertThat(ScrapeText.openMetrics(promoted, now)).contains("g{host_name=\"node-1\",");
  }

  @Test
  void staleSeriesExpireAfterMetricExpiration() {
    acc.accumulate(request(checkout(), gauge("old", "", point(0, T0, 1))), now);
    acc.accumulate(request(checkout(), gauge("fresh", "", point(0, T0, 1))),
        now.plus(Duration.ofMinutes(4)));
    String later = ScrapeText.openMetrics(acc, now.plus(Duration.ofMinutes(6)));
    assertThat(later).contains("fresh{").doesNotContain("old{");
  }

  @Test
  void exemplarsCarryTraceAndSpanIdAndSurviveALaterPointWithout() {
    List<Double> bounds = List.of(10.0, 100.0);
    acc.accumulate(request(checkout(), histogram("span.duration", "ms", CUMULATIVE,
        histogramPoint(T0, T0 + SECOND, bounds, List.of(0L, 1L, 0L), 50,
            exemplar(50, T0 + SECOND)))), now);
    acc.accumulate(request(checkout(), histogram("span.duration", "ms", CUMULATIVE,
        histogramPoint(T0, T0 + 2 * SECOND, bounds, List.of(0L, 2L, 0L), 90))), now);
    acc.accumulate(request(checkout(), cumulativeCounter("calls", "",
        NumberDataPointWithExemplar.of(point(T0, T0 + SECOND, 1), exemplar(50, T0 + SECOND)))),
        now);
    assertThat(scrape())
        .containsPattern("span_duration_milliseconds_bucket\\{[^}]*le=\"100.0\"[^}]*} 2 # "
            + "\\{span_id=\"" + SPAN_ID + "\",trace_id=\"" + TRACE_ID + "\"} 50.0")
        .containsPattern("calls_total\\{[^}]*} 1.0 # \\{span_id=\"" + SPAN_ID
            + "\",trace_id=\"" + TRACE_ID + "\"}");
    assertThat(ScrapeText.prometheusText(acc, now)).as("text 0.0.4 has no exemplars")
        .doesNotContain(TRACE_ID);
  }

  @Test
  void exponentialHistogramIsConvertedToClassicBucketsAtExponentialBoundaries() {
    // scale 0: base 2; offset 1 -> buckets (2,4], (4,8]
    ExponentialHistogramDataPoint p = ExponentialHistogramDataPoint.newBuilder()
        .setStartTimeUnixNano(T0).setTimeUnixNano(T0 + SECOND).setScale(0)
        .setCount(6).setSum(30).setZeroCount(1)
        .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1)
            .addBucketCounts(2).addBucketCounts(3)).build();
    // A delta at scale 1 (base sqrt 2), offset 2 -> (2, 2.83]: downscaled into (2,4].
    ExponentialHistogramDataPoint q = ExponentialHistogramDataPoint.newBuilder()
        .setStartTimeUnixNano(T0 + SECOND).setTimeUnixNano(T0 + 2 * SECOND).setScale(1)
        .setCount(1).setSum(2.5)
        .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(2)
            .addBucketCounts(1)).build();
    acc.accumulate(request(checkout(), expo(p)), now);
    acc.accumulate(request(checkout(), expo(q)), now);
    assertThat(scrape())
        .containsPattern("size_bytes_bucket\\{[^}]*le=\"0.0\"[^}]*} 1\n")
        .containsPattern("size_bytes_bucket\\{[^}]*le=\"4.0\"[^}]*} 4\n")
        .containsPattern("size_bytes_bucket\\{[^}]*le=\"8.0\"[^}]*} 7\n")
        .containsPattern("size_bytes_bucket\\{[^}]*le=\"\\+Inf\"[^}]*} 7\n")
        .containsPattern("size_bytes_sum\\{[^}]*} 32.5");
  }

  private static Metric expo(ExponentialHistogramDataPoint p) {
    return Metric.newBuilder().setName("size").setUnit("By").setExponentialHistogram(
        ExponentialHistogram.newBuilder().setAggregationTemporality(DELTA).addDataPoints(p))
        .build();
  }

  /** Adds an exemplar to a number point. */
  static final class NumberDataPointWithExemplar {
    static io.opentelemetry.proto.metrics.v1.NumberDataPoint of(
        io.opentelemetry.proto.metrics.v1.NumberDataPoint p,
        io.opentelemetry.proto.metrics.v1.Exemplar e) {
      return p.toBuilder().addExemplars(e).build();
    }
  }
}
