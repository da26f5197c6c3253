package io.vigil.featurerows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.vigil.testing.ServiceMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureRowBuilderTest {

  private static final long S = 1_000_000_000L;
  private static final long T0 = 1_800_000_000L * S; // a multiple of 30 s

  private static FeatureRowsSettings settings() {
    FeatureRowsSettings s = new FeatureRowsSettings();
    s.window = Duration.ofSeconds(30);
    s.delay = Duration.ofSeconds(5);
    return s;
  }

  private static int col(FeatureRowBuilder b, String name) {
    return b.names().indexOf(name);
  }

  @Test
  void defaultFeaturesFromSpanMetricsAndHeap() {
    FeatureRowBuilder b = new FeatureRowBuilder(settings());
    ServiceMetrics m = new ServiceMetrics("orders", T0 - 60 * S);
    // 10 s exports: the first only sets the cumulative baseline.
    b.add(m.next(T0 - 10 * S, 0, 0, 20, 100e6));
    for (int i = 0; i < 3; i++) {
      b.add(m.next(T0 + i * 10 * S, 100, 10, 80, 200e6 + i));
    }
    assertThat(b.closeUntil(T0 + 34 * S)).as("window [T0, T0+30s) waits its 5 s delay")
        .extracting(FeatureRow::windowStartNanos).containsExactly(T0 - 30 * S);
    List<FeatureRow> rows = b.closeUntil(T0 + 35 * S);
    FeatureRow orders = rows.stream().filter(r -> r.service().equals("orders")).findFirst()
        .orElseThrow();
    assertThat(orders.windowStartNanos()).isEqualTo(T0);
    assertThat(orders.windowEndNanos()).isEqualTo(T0 + 30 * S);
    assertThat(orders.value(col(b, "request_rate"))).isCloseTo(300 / 30.0, within(1e-9));
    assertThat(orders.value(col(b, "error_ratio"))).isCloseTo(0.1, within(1e-9));
    // All 300 in the (50, 100] bucket: p95 interpolates to 50 + 50 * 0.95.
    assertThat(orders.value(col(b, "latency_p95"))).isCloseTo(97.5, within(1e-9));
    assertThat(orders.value(col(b, "heap_used"))).isEqualTo(200e6 + 2);
    assertThat(orders.value(col(b, "heap_limit"))).isEqualTo(512e6);
    assertThat(orders.value(col(b, "cpu_utilization"))).as("no such metric: missing").isNaN();
  }

  @Test
  void separatesServicesAndDropsLatePoints() {
    FeatureRowBuilder b = new FeatureRowBuilder(settings());
    ServiceMetrics a = new ServiceMetrics("a", T0 - 60 * S);
    ServiceMetrics c = new ServiceMetrics("c", T0 - 60 * S);
    b.add(a.next(T0 - 5 * S, 0, 0, 1, 1));
    b.add(c.next(T0 - 5 * S, 0, 0, 1, 1));
    b.add(a.next(T0 + 5 * S, 30, 0, 1, 1));
    b.add(c.next(T0 + 5 * S, 60, 60, 1, 1));
    List<FeatureRow> rows = b.closeUntil(T0 + 40 * S);
    List<String> seen = new ArrayList<>();
    for (FeatureRow r : rows) {
      if (r.windowStartNanos() == T0) {
        seen.add(r.service() + "=" + r.value(col(b, "error_ratio")));
      }
    }
    assertThat(seen).containsExactly("a=0.0", "c=1.0");
    b.add(a.next(T0 + 6 * S, 30, 0, 1, 1));
    assertThat(b.latePoints()).isPositive();
  }

  @Test
  void counterRestartCountsFromZero() {
    FeatureRowsSettings s = settings();
    s.features = List.of(new FeatureSpec("calls", "traces.span.metrics.calls", "sum"));
    FeatureRowBuilder b = new FeatureRowBuilder(s);
    ServiceMetrics before = new ServiceMetrics("a", T0 - 60 * S);
    b.add(before.next(T0 + S, 1000, 0, 1, 1));
    b.add(before.next(T0 + 2 * S, 10, 0, 1, 1));
    ServiceMetrics restarted = new ServiceMetrics("a", T0 + 3 * S);
    b.add(restarted.next(T0 + 4 * S, 7, 0, 1, 1));
    FeatureRow r = b.closeAll().get(0);
    assertThat(r.value(0)).as("10 after the baseline, then 7 from the restart").isEqualTo(17);
  }

  @Test
  void minTotalIsTheFloorOfTheSumOverPoolsNotTheSmallestPool() {
    FeatureRowBuilder b = new FeatureRowBuilder(heapSettings(heap("heap_min", "min"),
        heap("heap_used", "last")));
    // Eden fills and empties (a young collection between the 2nd and 3rd export); the old
    // generation only grows: totals 150, 210, 125, 190.
    double[][] edenOld = {{50, 100}, {105, 105}, {10, 115}, {70, 120}};
    for (int i = 0; i < edenOld.length; i++) {
      b.add(heap(T0 + (1 + 7L * i) * S, edenOld[i][0], edenOld[i][1]));
    }
    FeatureRow r = b.closeAll().get(0);
    assertThat(r.value(0)).as("smallest total at one time stamp").isEqualTo(125);
    assertThat(r.value(1)).as("min: the smallest single pool reading").isEqualTo(10);
    assertThat(r.value(2)).as("last: the last total").isEqualTo(190);
  }

  @Test
  void changeIsTheDifferenceFromTheSameServicesRowOverEarlier() {
    FeatureRowsSettings s = heapSettings(
        FeatureSpec.change("heap_floor_change_1m", "heap_floor", Duration.ofMinutes(1)));
    s.validateFeatureRows();
    FeatureRowBuilder b = new FeatureRowBuilder(s);
    // One export per window, old generation 100, 110, (none), 130, 140: windows 0-4.
    double[] old = {100, 110, Double.NaN, 130, 140};
    for (int w = 0; w < old.length; w++) {
      if (!Double.isNaN(old[w])) {
        b.add(heap(T0 + (w * 30L + 1) * S, 0, old[w]));
      }
    }
    List<FeatureRow> rows = b.closeAll();
    assertThat(rows).extracting(r -> (r.windowStartNanos() - T0) / S)
        .containsExactly(0L, 30L, 90L, 120L);
    assertThat(rows).extracting(r -> r.value(1))
        .as("window 3: 130 - 110; windows 0 and 1 have no row 1 min back, window 4's (2) is"
            + " missing")
        .containsExactly(Double.NaN, Double.NaN, 20.0, Double.NaN);
  }

  @Test
  void changeNeedsAnEarlierFeatureAndWholeWindows() {
    FeatureRowsSettings s = settings();
    FeatureSpec floor = new FeatureSpec("heap_floor", "jvm.memory.used", "min_total");
    s.features = List.of(FeatureSpec.change("c", "heap_floor", Duration.ofMinutes(1)), floor);
    assertThatThrownBy(s::validateFeatureRows).hasMessageContaining("features::0::of");
    s.features = List.of(floor, FeatureSpec.change("c", "heap_floor", Duration.ofSeconds(45)));
    assertThatThrownBy(s::validateFeatureRows).hasMessageContaining("features::1::over")
        .hasMessageContaining("whole number of windows");
    FeatureSpec withMetric = FeatureSpec.change("c", "heap_floor", Duration.ofMinutes(1));
    withMetric.metric = "jvm.memory.used";
    s.features = List.of(floor, withMetric);
    assertThatThrownBy(s::validateFeatureRows).hasMessageContaining("features::1::metric");
  }

  /** heap_floor (min_total of the heap pools), then {@code more}. */
  private static FeatureRowsSettings heapSettings(FeatureSpec... more) {
    FeatureRowsSettings s = settings();
    List<FeatureSpec> fs = new ArrayList<>(List.of(heap("heap_floor", "min_total")));
    fs.addAll(List.of(more));
    s.features = fs;
    return s;
  }

  private static FeatureSpec heap(String name, String aggregation) {
    return new FeatureSpec(name, "jvm.memory.used", aggregation).where("jvm.memory.type", "heap");
  }

  private static ExportMetricsServiceRequest heap(long time, double eden, double old) {
    io.opentelemetry.proto.metrics.v1.Gauge.Builder g =
        io.opentelemetry.proto.metrics.v1.Gauge.newBuilder();
    for (String pool : List.of("Eden Space", "Tenured Gen")) {
      g.addDataPoints(io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder()
          .setTimeUnixNano(time).setAsDouble(pool.startsWith("Eden") ? eden : old)
          .addAttributes(attr("jvm.memory.type", "heap"))
          .addAttributes(attr("jvm.memory.pool.name", pool)));
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
            .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                .addAttributes(attr("service.name", "orders")))
            .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                .addMetrics(io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
                    .setName("jvm.memory.used").setGauge(g))))
        .build();
  }

  private static io.opentelemetry.proto.common.v1.KeyValue attr(String k, String v) {
    return io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey(k)
        .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  @Test
  void closeAllHandsOutEverythingOnce() {
    FeatureRowBuilder b = new FeatureRowBuilder(settings());
    ExportMetricsServiceRequest one = new ServiceMetrics("a", T0).next(T0 + S, 1, 0, 1, 5);
    b.add(one);
    assertThat(b.closeAll()).hasSize(1);
    assertThat(b.closeAll()).isEmpty();
  }
}
