package io.vigil.connector.failureprediction;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.vigil.analysis.training.RandomForestClassifier;
import io.vigil.analysis.training.TreeEnsembleOnnx;
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
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of one window for 100 services: their exports (three per service) into the row builder,
 * then closing the window and scoring its 100 rows with a 100-tree forest in onnxruntime.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FailurePredictionBenchmark {

  private static final long S = 1_000_000_000L;
  private static final int SERVICES = 100;
  private FailurePrediction connector;
  private final List<ServiceMetrics> services = new ArrayList<>();
  private long window;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    List<String> names = FeatureRowsSettings.defaultFeatures().stream().map(f -> f.name).toList();
    Random r = new Random(1);
    double[][] x = new double[2000][names.size()];
    boolean[] y = new boolean[x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < names.size(); j++) {
        x[i][j] = r.nextDouble() * 100;
      }
      y[i] = x[i][1] > 30;
    }
    var registry = Files.createTempDirectory("failureprediction-bench");
    new ModelRegistry(registry).publish("failure", TreeEnsembleOnnx.write(
        RandomForestClassifier.fit(x, y, RandomForestClassifier.Settings.defaults()), names, 0.5,
        Map.of("vigil.window_seconds", "30.0")), "{}", true);
    FailurePredictionConfig c = new FailurePredictionConfig();
    c.registry = registry.toString();
    c.flushInterval = Duration.ofHours(1);
    c.delay = Duration.ZERO;
    RecordingConsumer<ExportLogsServiceRequest> sink = new RecordingConsumer<>();
    connector = (FailurePrediction) new FailurePredictionConnectorFactory().create(
        new ComponentSettings(ComponentKind.CONNECTOR, ComponentId.of("failureprediction"),
            new GatewayTelemetry()), c, Signal.METRICS, ConnectorOutputs.of(Signal.LOGS, sink));
    connector.start();
    for (int s = 0; s < SERVICES; s++) {
      services.add(new ServiceMetrics("service-" + s, 0));
    }
  }

  @Benchmark
  public long oneWindowOf100Services() {
    long start = (1_800_000_000L + window++ * 30) * S;
    for (int k = 0; k < 3; k++) {
      for (ServiceMetrics m : services) {
        ExportMetricsServiceRequest b = m.next(start + k * 10 * S, 100, k, 40, 1e8);
        connector.consume(b);
      }
    }
    connector.tick(start + 30 * S).join();
    return connector.rowsScored();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    connector.shutdown(Instant.now().plusSeconds(1));
  }
}
