package io.vigil.connector.failureprediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.ConnectorOutputs;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.featurerows.FeatureRowsSettings;
import io.vigil.featurerows.ModelRegistry;
import io.vigil.testing.RandomMetrics;
import io.vigil.testing.RecordingConsumer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random metric batches (every data type, odd values and time stamps) through the
 * connector with a model loaded: never an exception, every closed row scored, and every record
 * a well-formed prediction of a service that sent metrics.
 */
class FailurePredictionFuzzTest {

  private static final long S = 1_000_000_000L;
  private static final String[] SERVICES = {"a", "b", "c"};
  private static final String[] METRICS = {"traces.span.metrics.calls",
      "traces.span.metrics.duration", "jvm.memory.used", "jvm.cpu.recent_utilization",
      "log.template.records", "vigil.anomaly.score", "other"};
  private static final String[] KEYS = {"span.kind", "status.code", "jvm.memory.type"};

  @TempDir Path dir;

  @Test
  void randomBatchesNeverFailAndOnlyPredictionsComeOut() throws Exception {
    List<String> names = FeatureRowsSettings.defaultFeatures().stream().map(f -> f.name).toList();
    new ModelRegistry(dir).publish("failure", Models.errorRatioForest(names, 30, 3), "{}", true);
    for (long seed = 1; seed <= 3; seed++) {
      RecordingConsumer<ExportLogsServiceRequest> out = new RecordingConsumer<>();
      FailurePredictionConfig c = new FailurePredictionConfig();
      c.registry = dir.toString();
      c.flushInterval = Duration.ofHours(1);
      c.threshold = 0; // every scored row is emitted, so every one is checked
      FailurePrediction p = (FailurePrediction) new FailurePredictionConnectorFactory().create(
          new ComponentSettings(ComponentKind.CONNECTOR, ComponentId.of("failureprediction"),
              new GatewayTelemetry()), c, Signal.METRICS, ConnectorOutputs.of(Signal.LOGS, out));
      p.start();
      Random r = new Random(seed);
      long now = 1_800_000_000L * S;
      for (int i = 0; i < 300; i++) {
        ExportMetricsServiceRequest b = RandomMetrics.batch(r, now, SERVICES, METRICS, KEYS);
        assertThatCode(() -> p.consume(b).join()).doesNotThrowAnyException();
        now += r.nextInt(20) * S;
        if (i % 40 == 0) {
          long t = now;
          assertThatCode(() -> p.tick(t).join()).doesNotThrowAnyException();
        }
      }
      p.tick(Long.MAX_VALUE / 2).join();
      p.shutdown(Instant.now().plusSeconds(1));
      List<java.util.Map<String, Object>> records = Records.of(out.batches());
      assertThat((long) records.size()).as("seed %d", seed).isEqualTo(p.rowsScored()).isPositive();
      assertThat(records).allSatisfy(rec -> {
        assertThat(rec).containsEntry("vigil.anomaly.kind", "failure_prediction");
        assertThat(rec.get("service.name")).isIn("a", "b", "c", "unknown_service");
        assertThat((Double) rec.get("vigil.anomaly.score")).isBetween(0.0, 1.0);
      });
    }
  }
}
