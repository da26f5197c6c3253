package io.vigil.exporter.featurerows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.RandomMetrics;
import io.vigil.featurerows.FeatureRowsSettings;
import io.vigil.featurerows.FeatureSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random metric batches (every data type, odd values and time stamps) through the
 * exporter: never an exception, and every row it closed is in a file that reads back.
 */
class FeatureRowsExporterFuzzTest {

  private static final long S = 1_000_000_000L;
  private static final long T0 = 1_800_000_000L * S;
  private static final String[] SERVICES = {"a", "b", "c"};
  private static final String[] METRICS = {"traces.span.metrics.calls",
      "traces.span.metrics.duration", "jvm.memory.used", "jvm.memory.limit",
      "jvm.cpu.recent_utilization", "log.template.records", "vigil.anomaly.score", "other"};
  private static final String[] KEYS = {"span.kind", "status.code", "jvm.memory.type"};

  @TempDir Path dir;

  @Test
  void randomBatchesNeverFailAndEveryClosedRowIsWritten() throws Exception {
    for (long seed = 1; seed <= 4; seed++) {
      Path out = dir.resolve("seed" + seed);
      Random r = new Random(seed);
      AtomicLong now = new AtomicLong(T0);
      FeatureRowsExporterConfig c = new FeatureRowsExporterConfig();
      c.directory = out.toString();
      // The defaults plus the aggregations that keep state across points (min_total's totals
      // per time stamp) and across rows (change's history per service).
      c.features = new ArrayList<>(FeatureRowsSettings.defaultFeatures());
      c.features.add(new FeatureSpec("heap_floor", "jvm.memory.used", "min_total"));
      c.features.add(FeatureSpec.change("heap_floor_change", "heap_floor",
          Duration.ofMinutes(1)));
      c.features.add(FeatureSpec.change("rate_change", "request_rate", Duration.ofSeconds(30)));
      new FeatureRowsExporterFactory().validate(c);
      FeatureRowsExporter e = new FeatureRowsExporter(new ComponentSettings(
          ComponentKind.EXPORTER, ComponentId.of("featurerows"), new GatewayTelemetry()), c,
          now::get);
      Consumer<ExportMetricsServiceRequest> in = e.consumer(Signal.METRICS);
      for (int i = 0; i < 400; i++) {
        ExportMetricsServiceRequest b = RandomMetrics.batch(r, now.get(), SERVICES, METRICS, KEYS);
        assertThatCode(() -> in.consume(b).join()).doesNotThrowAnyException();
        now.addAndGet(r.nextInt(20) * S);
        if (i % 50 == 0) {
          e.flush();
        }
      }
      e.shutdown(Instant.now().plusSeconds(5));
      long read = 0;
      for (Path f : e.files().files()) {
        read += (Long) ParquetFiles.read(f, "SELECT count(*) AS n FROM $file").get(0).get("n");
      }
      assertThat(e.files().rowsLost()).isZero();
      assertThat(read).as("seed %d", seed).isEqualTo(e.files().rowsWritten()).isPositive();
    }
  }
}
