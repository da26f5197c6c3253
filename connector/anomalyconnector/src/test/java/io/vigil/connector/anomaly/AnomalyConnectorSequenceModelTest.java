package io.vigil.connector.anomaly;

import io.vigil.analysis.anomaly.DetectorSettings;
import io.vigil.analysis.onnx.OnnxModel;
import io.vigil.analysis.training.SequenceModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Connector;
import io.vigil.core.component.ConnectorOutputs;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** The {@code anomaly} connector with a sequence model ({@code [batch, n, 1]}) as model_file. */
class AnomalyConnectorSequenceModelTest {

  private static final long MINUTE = 60_000_000_000L;
  private static final long T0 = 1_780_000_000_000_000_000L;
  private static final String LOGGER =
      AnomalyDetection.class.getName() + ".connector.anomaly";

  @TempDir
  Path dir;

  private final List<Connector<ExportMetricsServiceRequest>> connectors = new ArrayList<>();
  private final RecordingConsumer<ExportMetricsServiceRequest> scores = new RecordingConsumer<>();
  private final RecordingConsumer<ExportLogsServiceRequest> events = new RecordingConsumer<>();
  private final AnomalyConnectorFactory factory = new AnomalyConnectorFactory();
  private final GatewayTelemetry gateway = new GatewayTelemetry();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @AfterEach
  void stop() {
    connectors.forEach(c -> c.shutdown(Instant.now().plusSeconds(1)));
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(LOGGER)).detachAppender(logs);
  }

  private List<Connector<ExportMetricsServiceRequest>> connector(MetricAnomalyConfig c)
      throws Exception {
    logs.start();
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(LOGGER)).addAppender(logs);
    factory.validate(c);
    ComponentSettings s = new ComponentSettings(ComponentKind.CONNECTOR, ComponentId.of("anomaly"),
        gateway);
    Connector<ExportMetricsServiceRequest> connector = factory.create(s, c, Signal.METRICS,
        ConnectorOutputs.builder().put(Signal.METRICS, scores).put(Signal.LOGS, events).build());
    connector.start();
    connectors.add(connector);
    return List.of(connector);
  }

  private MetricAnomalyConfig config(Path model) {
    MetricAnomalyConfig c = new MetricAnomalyConfig();
    c.backgroundRefit = false;
    c.modelFile = model.toString();
    c.reloadInterval = Duration.ofMillis(50);
    return c;
  }

  /** The engine and model watcher behind the connector the test made last. */
  private AnomalyDetection detection() {
    return (AnomalyDetection) connectors.get(connectors.size() - 1);
  }

  private static ExportMetricsServiceRequest gauge(long time, double value) {
    NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setTimeUnixNano(time)
        .setAsDouble(value).addAttributes(KeyValue.newBuilder().setKey("queue")
            .setValue(AnyValue.newBuilder().setStringValue("orders")));
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(TestData.resource("broker")).addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("queue.depth")
                .setGauge(Gauge.newBuilder().addDataPoints(p))))).build();
  }

  /** A daily-ish wave with noise; {@code spikes} adds +60 (or -60 if negative) at those points. */
  private static double[] series(int n, int... spikes) {
    Random r = new Random(11);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 50 + 10 * Math.sin(2 * Math.PI * i / 288.0) + 0.3 * r.nextGaussian();
    }
    for (int s : spikes) {
      v[Math.abs(s)] += Math.signum(s) * 60;
    }
    return v;
  }

  private static double[] levelShift(int n, int at) {
    double[] v = series(n);
    for (int i = at; i < n; i++) {
      v[i] += 15;
    }
    return v;
  }

  private void feed(List<Connector<ExportMetricsServiceRequest>> c, double[] v, int from, int to) {
    for (int i = from; i < to; i++) {
      ExportMetricsServiceRequest b = gauge(T0 + i * MINUTE, v[i]);
      for (Connector<ExportMetricsServiceRequest> out : c) {
        assertThat(out.consume(b)).isCompleted();
      }
    }
  }

  /** Score per point index, from the score metric. */
  private Map<Integer, Double> scoreByPoint() {
    Map<Integer, Double> m = new HashMap<>();
    scores.batches().stream().flatMap(b -> b.getResourceMetricsList().stream())
        .flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream())
        .flatMap(mt -> mt.getGauge().getDataPointsList().stream())
        .forEach(p -> m.put(index(p.getTimeUnixNano()), p.getAsDouble()));
    return m;
  }

  private static int index(long time) {
    return (int) ((time - T0) / MINUTE);
  }

  private List<LogRecord> eventRecords() {
    return events.batches().stream().flatMap(b -> b.getResourceLogsList().stream())
        .flatMap(rl -> rl.getScopeLogsList().stream())
        .flatMap(sl -> sl.getLogRecordsList().stream()).toList();
  }

  private static String attr(LogRecord r, String key) {
    return r.getAttributesList().stream().filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().hasStringValue() ? kv.getValue().getStringValue()
            : String.valueOf(kv.getValue().getDoubleValue()))
        .findFirst().orElse(null);
  }

  /** The highest score among the points outside the given ones. */
  private static double maxScoreOutside(Map<Integer, Double> s, int from, int to,
      int... around) {
    double max = 0;
    outer:
    for (int i = from; i < to; i++) {
      for (int a : around) {
        if (i == Math.abs(a)) {
          continue outer;
        }
      }
      max = Math.max(max, s.get(i));
    }
    return max;
  }

  @Test
  void anLstmModelFileScoresEverySeriesAndAPlantedSpikeStandsOut() throws Exception {
    Path model = dir.resolve("lstm.onnx");
    Files.write(model, SequenceModels.lstm(16, Map.of("vigil.threshold", "0.6")));
    var c = connector(config(model));
    assertThat(detection().watcher().current().layout())
        .isEqualTo(OnnxModel.Layout.BATCH_MAJOR);
    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
        .contains("loaded").contains("input window [batch, n, 1] n=16"));
    double[] v = series(700, 500, -620);
    feed(c, v, 0, 700);

    Map<Integer, Double> s = scoreByPoint();
    assertThat(s).hasSize(700);
    // The first 15 points have no full window yet and score 0; from then on the model scores.
    assertThat(s.get(14)).isZero();
    assertThat(s.get(15)).isGreaterThan(0);
    // Once the history holds a whole wave (288 points), its crests and troughs are ordinary
    // and the spike and the dip stand out.
    double calm = maxScoreOutside(s, 300, 700, 500, -620);
    assertThat(calm).isLessThan(0.5);
    assertThat(s.get(500)).isGreaterThan(calm + 0.3);
    assertThat(s.get(620)).isGreaterThan(calm + 0.3);

    List<LogRecord> found = eventRecords().stream()
        .filter(r -> index(r.getTimeUnixNano()) >= 300).toList();
    assertThat(found).extracting(r -> index(r.getTimeUnixNano())).containsExactly(500, 620);
    assertThat(found).allSatisfy(r -> {
      assertThat(attr(r, "vigil.anomaly.model")).isEqualTo("onnx");
      assertThat(attr(r, "vigil.anomaly.series")).isEqualTo("queue.depth{queue=orders}");
      // The event carries the model's input: the scaled window, the planted point last.
      List<Double> window = r.getAttributesList().stream()
          .filter(kv -> kv.getKey().equals("vigil.anomaly.features")).findFirst().orElseThrow()
          .getValue().getArrayValue().getValuesList().stream().map(AnyValue::getDoubleValue)
          .toList();
      assertThat(window).hasSize(detection().watcher().current().features());
      double newest = Math.abs(window.get(window.size() - 1));
      assertThat(window.subList(0, window.size() - 1))
          .allSatisfy(x -> assertThat(Math.abs(x)).isLessThan(newest));
    });
    assertThat(detection().watcher().failures()).isZero();
  }

  static Stream<Arguments> wrongSignatures() {
    return Stream.of(
        Arguments.of("int64", SequenceModels.averaging(DataType.INT64, -1, 8),
            "input window is ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 with shape [-1, 8]"),
        Arguments.of("rank 4", SequenceModels.averaging(DataType.FLOAT, -1, 8, 1, 1),
            "input window has shape [-1, 8, 1, 1] (rank 4)"),
        Arguments.of("dynamic n", SequenceModels.averaging(DataType.FLOAT, -1, -1, 1),
            "input window has shape [-1, -1, 1]: the window length n (axis 1) is not fixed"),
        Arguments.of("two features", SequenceModels.averaging(DataType.FLOAT, -1, 8, 2),
            "input window has shape [-1, 8, 2]: 2 features per step"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongSignatures")
  void aModelWithTheWrongSignatureIsReportedAndTheBuiltInDetectorScores(String name,
      byte[] bytes, String reason) throws Exception {
    Path model = dir.resolve("wrong.onnx");
    Files.write(model, bytes);
    MetricAnomalyConfig config = config(model);
    var c = connector(config);
    assertThat(detection().watcher().failures()).isEqualTo(1);
    assertThat(detection().watcher().current()).isNull();
    assertThat(logs.list).anySatisfy(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.ERROR);
      assertThat(e.getFormattedMessage()).contains("not loaded").contains(reason)
          .contains("expected [batch, n] with a fixed n").contains("the built-in detector");
    });
    double[] v = levelShift(1200, 1100);
    feed(c, v, 0, 1200);
    assertThat(scoreByPoint()).hasSize(1200);
    assertThat(eventRecords()).isNotEmpty().allSatisfy(r ->
        assertThat(attr(r, "vigil.anomaly.model")).isEqualTo("builtin"));
    // Inside the shift's window as NAB draws it (10 % of the series, centred: 60 points late).
    assertThat(eventRecords()).anySatisfy(r ->
        assertThat(index(r.getTimeUnixNano())).isBetween(1100, 1160));
  }

  @Test
  void aModelThatGivesNanFailsItsBatchesWhichTheBuiltInDetectorScores() throws Exception {
    Path model = dir.resolve("log.onnx");
    // log(mean of the scaled window): NaN whenever the window sits below the series' median.
    Files.write(model, SequenceModels.averaging("Log", DataType.FLOAT, -1, 4, 1));
    var c = connector(config(model));
    assertThat(detection().watcher().current()).isNotNull();
    feed(c, series(400), 0, 400);
    Map<Integer, Double> s = scoreByPoint();
    assertThat(s).hasSize(400).allSatisfy((i, x) -> assertThat(x).isNotNaN());
    assertThat(detection().watcher().failures()).isGreaterThan(0);
    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
        .contains("failed to score a batch (model output score is NaN)"));
    assertThat(eventRecords()).noneSatisfy(r ->
        assertThat(attr(r, "vigil.anomaly.score")).isEqualTo("NaN"));
    // Each event says which scored its batch, and is judged by that one's threshold.
    assertThat(eventRecords()).allSatisfy(r -> {
      if (attr(r, "vigil.anomaly.model").equals("builtin")) {
        assertThat(attr(r, "vigil.anomaly.resolution")).isNotNull();
        assertThat(Double.parseDouble(attr(r, "vigil.anomaly.score")))
            .isGreaterThanOrEqualTo(new DetectorSettings().alarmLevel());
      } else {
        assertThat(attr(r, "vigil.anomaly.model")).isEqualTo("onnx");
        assertThat(attr(r, "vigil.anomaly.resolution")).isNull();
      }
    });
  }

  @Test
  void aBatchMatrixModelIsHotReplacedByALongerSequenceModel() throws Exception {
    Path model = dir.resolve("model.onnx");
    Files.write(model, SequenceModels.averaging(DataType.FLOAT, -1, 4));
    var c = connector(config(model));
    assertThat(detection().watcher().current().layout()).isEqualTo(OnnxModel.Layout.MATRIX);
    double[] v = series(700, 650);
    feed(c, v, 0, 300);
    assertThat(scoreByPoint().get(299)).isNotZero();

    // 80 steps: more than the 64 values a series keeps until a model asks for a longer window.
    Files.write(model, SequenceModels.lstm(80, Map.of("vigil.threshold", "0.6")));
    Files.setLastModifiedTime(model, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    await().atMost(Duration.ofSeconds(10)).until(() -> detection().watcher().current() != null
        && detection().watcher().current().features() == 80);
    assertThat(detection().watcher().current().layout())
        .isEqualTo(OnnxModel.Layout.BATCH_MAJOR);
    scores.clear();
    events.clear();
    feed(c, v, 300, 700);

    Map<Integer, Double> s = scoreByPoint();
    assertThat(s).hasSize(400);
    // The 64 values kept (points 237 to 300) carry over; 16 more fill the window of 80.
    assertThat(s.get(315)).isZero();
    assertThat(s.get(316)).isGreaterThan(0);
    assertThat(s.get(650)).isGreaterThan(maxScoreOutside(s, 316, 700, 650) + 0.2);
    assertThat(eventRecords()).extracting(r -> index(r.getTimeUnixNano()))
        .containsExactly(650);
    assertThat(eventRecords()).allSatisfy(r ->
        assertThat(attr(r, "vigil.anomaly.model")).isEqualTo("onnx"));
    assertThat(detection().watcher().failures()).isZero();
  }
}
