package io.vigil.connector.failureprediction;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.ConnectorOutputs;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.featurerows.FeatureRowsSettings;
import io.vigil.featurerows.ModelRegistry;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.ServiceMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailurePredictionConnectorTest {

  private static final long S = 1_000_000_000L;
  private static final long T0 = 1_800_000_000L * S;
  private static final List<String> NAMES = FeatureRowsSettings.defaultFeatures().stream()
      .map(f -> f.name).toList();

  @TempDir Path dir;
  private final RecordingConsumer<ExportLogsServiceRequest> logs = new RecordingConsumer<>();
  private final AtomicLong now = new AtomicLong(T0);
  private FailurePrediction connector;

  @AfterEach
  void stop() {
    if (connector != null) {
      connector.shutdown(Instant.now().plusSeconds(1));
    }
  }

  private FailurePrediction start(Duration reload) throws Exception {
    FailurePredictionConfig c = new FailurePredictionConfig();
    c.registry = dir.toString();
    c.reloadInterval = reload;
    c.flushInterval = Duration.ofHours(1); // the test ticks itself
    new FailurePredictionConnectorFactory().validate(c);
    connector = (FailurePrediction) new FailurePredictionConnectorFactory().create(
        new ComponentSettings(ComponentKind.CONNECTOR, ComponentId.of("failureprediction"),
            new GatewayTelemetry()), c, Signal.METRICS, ConnectorOutputs.of(Signal.LOGS, logs));
    connector.start();
    return connector;
  }

  /** Three minutes: orders errs on 60% of its requests, payments on none. */
  private void feed(long from) {
    ServiceMetrics orders = new ServiceMetrics("orders", from - 60 * S);
    ServiceMetrics payments = new ServiceMetrics("payments", from - 60 * S);
    for (long t = from; t <= from + 180 * S; t += 10 * S) {
      connector.consume(orders.next(t, 100, 60, 200, 1e8));
      connector.consume(payments.next(t, 100, 0, 20, 1e8));
    }
  }

  @Test
  void predictsTheFailingServiceOnlyAsAnomalyRecords() throws Exception {
    new ModelRegistry(dir).publish("failure", Models.errorRatioForest(NAMES, 30, 1), "{}", true);
    start(Duration.ofHours(1));
    feed(T0);
    connector.tick(T0 + 240 * S).join();
    List<Map<String, Object>> records = Records.of(logs.batches());
    assertThat(records).isNotEmpty().allSatisfy(r -> {
      assertThat(r).containsEntry("vigil.anomaly.kind", "failure_prediction")
          .containsEntry("vigil.anomaly.source", "metrics")
          .containsEntry("service.name", "orders").containsEntry("resource.service.name", "orders")
          .containsEntry("vigil.anomaly.horizon_seconds", 300.0)
          .containsEntry("vigil.anomaly.model_version", "failure/v0001")
          .containsEntry("event", "vigil.failure.prediction")
          .containsKeys("vigil.anomaly.window.start_unix_nano", "vigil.anomaly.window.end_unix_nano");
      assertThat((Double) r.get("vigil.anomaly.score")).isGreaterThanOrEqualTo(0.5);
      assertThat((List<?>) r.get("vigil.anomaly.features")).hasSize(NAMES.size());
    });
    assertThat(connector.rowsScored()).as("payments' rows were scored too").isGreaterThan(records.size());
  }

  @Test
  void reloadsWhenCurrentMovesToANewVersion() throws Exception {
    ModelRegistry registry = new ModelRegistry(dir);
    registry.publish("failure", Models.errorRatioForest(NAMES, 30, 1), "{}", true);
    start(Duration.ofMillis(50));
    feed(T0);
    connector.tick(T0 + 240 * S).join();
    assertThat(Records.of(logs.batches())).isNotEmpty()
        .allSatisfy(r -> assertThat(r).containsEntry("vigil.anomaly.model_version", "failure/v0001"));
    logs.clear();

    registry.publish("failure", Models.errorRatioForest(NAMES, 30, 2), "{}", true);
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> connector.watcher().current().version().equals("failure/v0002"));
    feed(T0 + 600 * S);
    connector.tick(T0 + 840 * S).join();
    assertThat(Records.of(logs.batches())).isNotEmpty()
        .allSatisfy(r -> assertThat(r).containsEntry("vigil.anomaly.model_version", "failure/v0002"));
  }

  @Test
  void aVersionThatNeedsUnknownFeaturesIsRefusedAndThePreviousKept() throws Exception {
    ModelRegistry registry = new ModelRegistry(dir);
    registry.publish("failure", Models.errorRatioForest(NAMES, 30, 1), "{}", true);
    start(Duration.ofHours(1));
    List<String> other = new java.util.ArrayList<>(NAMES);
    other.set(0, "gc_pause_p99");
    registry.publish("failure", Models.errorRatioForest(other, 30, 1), "{}", true);
    connector.watcher().check();
    assertThat(connector.watcher().current().version()).isEqualTo("failure/v0001");
    assertThat(connector.watcher().failures()).isEqualTo(1);
    connector.watcher().check();
    assertThat(connector.watcher().failures()).as("reported once").isEqualTo(1);
    registry.publish("failure", Models.errorRatioForest(NAMES, 60, 1), "{}", true);
    connector.watcher().check();
    assertThat(connector.watcher().failures()).as("trained on 60 s windows").isEqualTo(2);
    assertThat(connector.watcher().current().version()).isEqualTo("failure/v0001");
  }

  @Test
  void withoutAModelNothingIsPredicted() throws Exception {
    start(Duration.ofHours(1));
    feed(T0);
    connector.tick(T0 + 240 * S).join();
    assertThat(logs.batches()).isEmpty();
    assertThat(connector.watcher().failures()).isZero();
  }
}
