package io.vigil.connector.failureprediction;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.vigil.analysis.prediction.TrainingRun;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.ConnectorOutputs;
import io.vigil.core.component.Exporter;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.exporter.featurerows.FeatureRowsExporterConfig;
import io.vigil.exporter.featurerows.FeatureRowsExporterFactory;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.ServiceMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on synthetic telemetry: two services' metrics through the featurerows
 * exporter into Parquet, fault labels for one of them, vigil-train's code path into a model
 * registry, and the connector, loaded with the current model, predicting the failing pattern
 * on fresh metrics and not the healthy one.
 */
class FailurePredictionEndToEndTest {

  private static final long S = 1_000_000_000L;
  private static final long T0 = 1_800_000_000L * S;
  private static final long FAULT_EVERY = 20 * 60 * S;

  @TempDir Path dir;

  /**
   * orders: in the 4 minutes before each fault (every 20 minutes) its latency and error ratio
   * creep up, then the fault (all requests fail) lasts 2 minutes; payments stays healthy.
   */
  private static void feed(Consumer<ExportMetricsServiceRequest> in, long from, long to) {
    ServiceMetrics orders = new ServiceMetrics("orders", from - 60 * S);
    ServiceMetrics payments = new ServiceMetrics("payments", from - 60 * S);
    for (long t = from; t <= to; t += 10 * S) {
      long sinceFault = Math.floorMod(t - T0, FAULT_EVERY);
      boolean faulty = sinceFault < 120 * S;
      boolean creeping = sinceFault >= FAULT_EVERY - 240 * S;
      long failed = faulty ? 100 : creeping ? 12 : 0;
      double latency = faulty ? 3000 : creeping ? 300 : 30;
      in.consume(orders.next(t, 100, failed, latency, 1e8));
      in.consume(payments.next(t, 100, 0, 30, 1e8));
    }
  }

  private static String faults(long from, long to) {
    StringBuilder sb = new StringBuilder();
    for (long f = T0 + FAULT_EVERY; f < to; f += FAULT_EVERY) {
      if (f >= from) {
        sb.append("{\"scenario\":\"synthetic\",\"service\":\"orders\",\"kind\":\"error_rate\","
            + "\"start\":\"").append(Instant.ofEpochSecond(0, f)).append("\",\"end\":\"")
            .append(Instant.ofEpochSecond(0, f + 120 * S)).append("\"}\n");
      }
    }
    return sb.toString();
  }

  @Test
  void exportedRowsTrainAModelThatPredictsTheFailingServiceOnly() throws Exception {
    // 1. Four hours of both services through the exporter into Parquet.
    Path rows = dir.resolve("rows");
    FeatureRowsExporterConfig ec = new FeatureRowsExporterConfig();
    ec.directory = rows.toString();
    ec.retention.maxAge = Duration.ZERO;
    FeatureRowsExporterFactory ef = new FeatureRowsExporterFactory();
    ef.validate(ec);
    Exporter exporter = ef.create(new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("featurerows"), new GatewayTelemetry()), ec, Set.of(Signal.METRICS));
    exporter.start();
    feed(exporter.consumer(Signal.METRICS), T0 - 10 * S, T0 + 4 * 3600 * S);
    exporter.shutdown(Instant.now().plusSeconds(5));
    try (var files = Files.list(rows)) {
      // 07:00 (the first export, 10 s before 08:00), 08:00 to 11:00, and 12:00 (the last).
      assertThat(files.filter(p -> p.toString().endsWith(".parquet")).count()).isEqualTo(6);
    }

    // 2. The labels, as the demo launcher writes them, and vigil-train's code path.
    Path labels = dir.resolve("faults.jsonl");
    Files.writeString(labels, faults(T0, T0 + 4 * 3600 * S));
    Path registry = dir.resolve("registry");
    TrainingRun.Result trained = TrainingRun.run(TrainingRun.Options.of(List.of(rows),
        List.of(labels), registry).withHorizon(Duration.ofMinutes(5)));
    assertThat(trained.evaluation().recall()).isGreaterThan(0.5);
    assertThat(trained.evaluation().faultsPredicted()).isPositive();
    assertThat(registry.resolve("failure/current")).hasContent("v0001");

    // 3. The connector with the registry's current model, on fresh metrics of the next day.
    RecordingConsumer<ExportLogsServiceRequest> out = new RecordingConsumer<>();
    FailurePredictionConfig cc = new FailurePredictionConfig();
    cc.registry = registry.toString();
    cc.flushInterval = Duration.ofHours(1); // ticked below, on the data's clock
    FailurePredictionConnectorFactory cf = new FailurePredictionConnectorFactory();
    cf.validate(cc);
    FailurePrediction connector = (FailurePrediction) cf.create(new ComponentSettings(
        ComponentKind.CONNECTOR, ComponentId.of("failureprediction"), new GatewayTelemetry()),
        cc, Signal.METRICS, ConnectorOutputs.of(Signal.LOGS, out));
    connector.start();
    try {
      long day = T0 + 24 * 3600 * S; // a multiple of 20 minutes: faults keep their phase
      // 10 minutes healthy, then the 4 minutes of creep before the next fault at day + 20 min.
      feed(connector::consume, day, day + FAULT_EVERY - 10 * S);
      connector.tick(day + FAULT_EVERY + 60 * S).join();
    } finally {
      connector.shutdown(Instant.now().plusSeconds(1));
    }
    List<Map<String, Object>> records = Records.of(out.batches());
    assertThat(records).as("predictions").isNotEmpty()
        .allSatisfy(r -> assertThat(r).containsEntry("service.name", "orders")
            .containsEntry("vigil.anomaly.kind", "failure_prediction")
            .containsEntry("vigil.anomaly.model_version", "failure/v0001"));
    long earliest = records.stream()
        .mapToLong(r -> (Long) r.get("vigil.anomaly.window.end_unix_nano")).min().orElseThrow();
    long day = T0 + 24 * 3600 * S;
    assertThat(earliest).as("predicted before the fault, within the creep")
        .isBetween(day + FAULT_EVERY - 240 * S, day + FAULT_EVERY);
  }
}
