package io.vigil.exporter.vigilstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.vigil.testing.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metric points in the store: gauges as numbers, histograms reduced to count, sum, p50, p99. */
class MetricPointsTest {

  @TempDir
  Path directory;

  private static final long T = ShopTraffic.startNanos(0);

  static ExportMetricsServiceRequest request() {
    Metric heap = Metric.newBuilder().setName("jvm.memory.used").setGauge(Gauge.newBuilder()
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T + 2).setAsInt(300))
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T + 1).setAsInt(200)
            .addAttributes(TestData.str("jvm.memory.pool.name", "G1 Eden Space")))).build();
    // 100 requests: 60 under 0.1 s, 38 under 0.5 s, 2 over 1 s.
    Metric duration = Metric.newBuilder().setName("http.server.request.duration")
        .setHistogram(Histogram.newBuilder().addDataPoints(HistogramDataPoint.newBuilder()
            .setTimeUnixNano(T + 3).setCount(100).setSum(21.5)
            .addAllExplicitBounds(List.of(0.1, 0.5, 1.0))
            .addAllBucketCounts(List.of(60L, 38L, 0L, 2L)))).build();
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics
        .newBuilder().setResource(TestData.resource("orders")).addScopeMetrics(
            ScopeMetrics.newBuilder().addMetrics(heap).addMetrics(duration))).build();
  }

  @Test
  void keepsGaugesAndHistogramSummariesByNameAndService() throws IOException {
    try (TelemetryStore store = new TelemetryStore(directory, Duration.ofHours(24), 0,
        Clock.fixed(ShopTraffic.START, ZoneOffset.UTC))) {
      store.addMetrics(request());
      List<StoredMetricPoint> heap = store.metricPoints("jvm.memory.used", "orders",
          ShopTraffic.range(), 10);
      assertThat(heap).extracting(StoredMetricPoint::value).containsExactly(200.0, 300.0);
      assertThat(heap.get(0).attributes()).containsEntry("jvm.memory.pool.name", "G1 Eden Space");
      StoredMetricPoint h = store.metricPoints("http.server.request.duration", "",
          ShopTraffic.range(), 10).get(0);
      assertThat(h.count()).isEqualTo(100);
      assertThat(h.value()).isEqualTo(0.215);
      assertThat(h.p50()).isEqualTo(0.1);
      // rank 99 falls in the overflow bucket: its lower bound, the highest the buckets can say
      assertThat(h.p99()).isEqualTo(1.0);
      assertThat(store.metricPoints("jvm.memory.used", "payments", ShopTraffic.range(), 10))
          .isEmpty();
    }
  }

  /** Orders' heap (two pools) and the anomaly connector's scores of one pool, 4 minutes. */
  static ExportMetricsServiceRequest heapWithScores() {
    Gauge.Builder heap = Gauge.newBuilder();
    Gauge.Builder scores = Gauge.newBuilder();
    for (int minute = 0; minute < 4; minute++) {
      long t = ShopTraffic.startNanos(minute);
      heap.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t).setAsInt(100 + minute)
          .addAttributes(TestData.str("pool", "eden")));
      heap.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t + 1).setAsInt(300 + minute)
          .addAttributes(TestData.str("pool", "eden")));
      heap.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t).setAsInt(50)
          .addAttributes(TestData.str("pool", "old")));
      scores.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t)
          .setAsDouble(minute == 2 ? 0.95 : 0.1)
          .addAttributes(TestData.str("metric.name", "jvm.memory.used"))
          .addAttributes(TestData.str("pool", "eden")));
    }
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics
        .newBuilder().setResource(TestData.resource("orders")).addScopeMetrics(
            ScopeMetrics.newBuilder()
                .addMetrics(Metric.newBuilder().setName("jvm.memory.used").setGauge(heap))
                .addMetrics(Metric.newBuilder().setName("vigil.anomaly.score").setGauge(scores))))
        .build();
  }

  @Test
  void listsAServicesMetricsWithTheScoredOnesMarked() throws IOException {
    try (TelemetryStore store = new TelemetryStore(directory, Duration.ofHours(24), 0,
        Clock.fixed(ShopTraffic.START, ZoneOffset.UTC))) {
      store.addMetrics(heapWithScores());
      store.addMetrics(request());
      // The score metric is not a metric of its own: it marks the one it scores.
      assertThat(store.query().metrics("orders", ShopTraffic.range())).containsExactly(
          new MetricSummary("http.server.request.duration", 1, 1, false),
          new MetricSummary("jvm.memory.used", 14, 4, true));
      assertThat(store.query().metrics("payments", ShopTraffic.range())).isEmpty();
    }
  }

  @Test
  void chartsAMetricPerAttributeSetWithBucketMeansAndTopScores() throws IOException {
    try (TelemetryStore store = new TelemetryStore(directory, Duration.ofHours(24), 0,
        Clock.fixed(ShopTraffic.START, ZoneOffset.UTC))) {
      store.addMetrics(heapWithScores());
      TimeRange fourMinutes = new TimeRange(ShopTraffic.startNanos(0), ShopTraffic.startNanos(4));
      MetricChart c = store.query().metricChart("orders", "jvm.memory.used", fourMinutes, 2, 12);
      assertThat(c.bucketStarts()).containsExactly(ShopTraffic.startNanos(0),
          ShopTraffic.startNanos(2));
      assertThat(c.lines()).extracting(MetricChart.Line::series)
          .containsExactly("{pool=eden}", "{pool=old}");
      MetricChart.Line eden = c.lines().get(0);
      // minutes 0-1: (100 + 300 + 101 + 301) / 4; minutes 2-3: (102 + 302 + 103 + 303) / 4
      assertThat(eden.values()).containsExactly(200.5, 202.5);
      assertThat(eden.scores()).containsExactly(0.1, 0.95);
      assertThat(c.lines().get(1).values()).containsExactly(50.0, 50.0);
      assertThat(c.lines().get(1).scores()).as("old is not scored").isEmpty();

      MetricChart one = store.query().metricChart("orders", "jvm.memory.used", fourMinutes, 2, 1);
      assertThat(one.lines()).extracting(MetricChart.Line::series).containsExactly("{pool=eden}");
      assertThat(one.linesOmitted()).isEqualTo(1);
    }
  }
}
