package io.vigil.exporter.featurerows;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.ServiceMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureRowsExporterTest {

  private static final long S = 1_000_000_000L;
  /** On the hour (UTC): 2027-01-15T08:00:00Z. */
  private static final long T0 = 1_800_000_000L * S;

  @TempDir Path dir;
  private final AtomicLong now = new AtomicLong(T0);

  private FeatureRowsExporter exporter(FeatureRowsExporterConfig c) {
    c.directory = dir.toString();
    new FeatureRowsExporterFactory().validate(c);
    return new FeatureRowsExporter(new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("featurerows"), new GatewayTelemetry()), c, now::get);
  }

  /** orders errs on half its requests from minute 10 to 15 of the hour; payments never. */
  private static void feedHour(Consumer<ExportMetricsServiceRequest> in, long from, long to) {
    ServiceMetrics orders = new ServiceMetrics("orders", T0 - 60 * S);
    ServiceMetrics payments = new ServiceMetrics("payments", T0 - 60 * S);
    for (long t = from; t <= to; t += 10 * S) {
      boolean failing = t > T0 + 600 * S && t <= T0 + 900 * S;
      in.consume(orders.next(t, 50, failing ? 25 : 0, failing ? 400 : 30, 100e6));
      in.consume(payments.next(t, 20, 0, 8, 50e6));
    }
  }

  @Test
  void writesOneParquetFilePerHourThatReadsBackRowByRow() throws Exception {
    FeatureRowsExporter e = exporter(new FeatureRowsExporterConfig());
    Consumer<ExportMetricsServiceRequest> in = e.consumer(Signal.METRICS);
    feedHour(in, T0 - 10 * S, T0 + 3650 * S);
    now.set(T0 + 3640 * S);
    e.flush();

    Path hour = dir.resolve("featurerows-20270115T0800Z.parquet");
    assertThat(hour).exists();
    assertThat(dir.resolve("featurerows-20270115T0900Z.parquet")).as("hour not over").doesNotExist();
    List<Map<String, Object>> rows = ParquetFiles.read(hour,
        "SELECT service, epoch_us(window_start) AS start_us, epoch_us(window_end) AS end_us,"
            + " request_rate, error_ratio, latency_p95, heap_used, cpu_utilization"
            + " FROM $file ORDER BY window_start, service");
    assertThat(rows).hasSize(2 * 120);
    Map<String, Object> first = rows.get(0);
    assertThat(first).containsEntry("service", "orders").containsEntry("start_us", T0 / 1000)
        .containsEntry("end_us", T0 / 1000 + 30_000_000L);
    assertThat((Double) first.get("request_rate")).isEqualTo(150 / 30.0);
    assertThat(first.get("cpu_utilization")).as("no such metric: NULL").isNull();
    Map<String, Object> failing = rows.stream()
        .filter(r -> r.get("service").equals("orders")
            && r.get("start_us").equals((T0 + 630 * S) / 1000)).findFirst().orElseThrow();
    assertThat((Double) failing.get("error_ratio")).isEqualTo(0.5);
    assertThat((Double) failing.get("latency_p95")).isBetween(100.0, 500.0);
    assertThat(rows).filteredOn(r -> r.get("service").equals("payments"))
        .allSatisfy(r -> assertThat((Double) r.get("error_ratio")).isZero());

    e.shutdown(Instant.now().plusSeconds(1));
    assertThat(dir.resolve("featurerows-20270115T0900Z.parquet")).as("shutdown writes the rest")
        .exists();
    assertThat(e.files().rowsLost()).isZero();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("no temporaries left")
          .allMatch(n -> n.endsWith(".parquet") && !n.startsWith("."));
    }
  }

  @Test
  void aRestartWithinTheHourWritesASiblingNotAnOverwrite() throws Exception {
    for (int run = 0; run < 2; run++) {
      FeatureRowsExporter e = exporter(new FeatureRowsExporterConfig());
      feedHour(e.consumer(Signal.METRICS), T0 + run * 100 * S, T0 + run * 100 * S + 60 * S);
      e.shutdown(Instant.now().plusSeconds(1));
    }
    assertThat(dir.resolve("featurerows-20270115T0800Z.parquet")).exists();
    assertThat(dir.resolve("featurerows-20270115T0800Z-1.parquet")).exists();
  }

  @Test
  void retentionDeletesTheOldestFilesButNeverTheNewest() throws Exception {
    Path old = dir.resolve("featurerows-20261201T0000Z.parquet");
    Files.writeString(old, "old");
    Files.setLastModifiedTime(old, FileTime.from(Instant.ofEpochSecond(0, T0 - 8 * 24 * 3600 * S)));
    Path other = dir.resolve("unrelated.parquet");
    Files.writeString(other, "not ours");
    Files.setLastModifiedTime(other, FileTime.from(Instant.ofEpochSecond(0, T0 - 30 * 24 * 3600 * S)));
    FeatureRowsExporterConfig c = new FeatureRowsExporterConfig();
    c.retention.maxAge = Duration.ofDays(7);
    FeatureRowsExporter e = exporter(c);
    feedHour(e.consumer(Signal.METRICS), T0, T0 + 60 * S);
    now.set(T0 + 120 * S);
    e.shutdown(Instant.now().plusSeconds(1));
    assertThat(old).doesNotExist();
    assertThat(other).as("only the exporter's own files").exists();
    assertThat(dir.resolve("featurerows-20270115T0800Z.parquet")).exists();
  }
}
