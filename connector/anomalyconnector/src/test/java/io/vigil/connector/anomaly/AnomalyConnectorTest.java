package io.vigil.connector.anomaly;

import io.vigil.analysis.anomaly.IsolationForest;
import io.vigil.analysis.anomaly.NeighbourSettings;
import io.vigil.analysis.training.IsolationForestOnnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Connector;
import io.vigil.core.component.ConnectorOutputs;
import io.vigil.core.config.ConfigException;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnomalyConnectorTest {

  private static final long FIVE_MINUTES = 300_000_000_000L;
  private static final long T0 = 1_780_000_000_000_000_000L;
  private static final ByteString TRACE = ByteString.copyFrom(new byte[] {
      0x4b, (byte) 0xf9, 0x2f, 0x35, 0x77, (byte) 0xb3, 0x4d, (byte) 0xa6,
      (byte) 0xa3, (byte) 0xce, (byte) 0x92, (byte) 0x9d, 0x0e, 0x0e, 0x47, 0x36});

  @TempDir
  Path dir;

  private final List<Connector<ExportMetricsServiceRequest>> connectors = new ArrayList<>();
  private final RecordingConsumer<ExportMetricsServiceRequest> scores = new RecordingConsumer<>();
  private final RecordingConsumer<ExportLogsServiceRequest> events = new RecordingConsumer<>();
  private final AnomalyConnectorFactory factory = new AnomalyConnectorFactory();
  private final GatewayTelemetry gateway = new GatewayTelemetry();

  @AfterEach
  void stop() {
    connectors.forEach(c -> c.shutdown(Instant.now().plusSeconds(1)));
  }

  /** Both outputs of one connector, started, as a pipeline would wire them. */
  private List<Connector<ExportMetricsServiceRequest>> connector(MetricAnomalyConfig c)
      throws Exception {
    return List.of(connector(c,
        ConnectorOutputs.builder().put(Signal.METRICS, scores).put(Signal.LOGS, events).build()));
  }

  /** One connector with only the given outputs wired, started. */
  private Connector<ExportMetricsServiceRequest> connector(MetricAnomalyConfig c,
      ConnectorOutputs outputs) throws Exception {
    factory.validate(c);
    ComponentSettings s = new ComponentSettings(ComponentKind.CONNECTOR, ComponentId.of("anomaly"),
        gateway);
    Connector<ExportMetricsServiceRequest> connector =
        factory.create(s, c, Signal.METRICS, outputs);
    connector.start();
    connectors.add(connector);
    return connector;
  }

  /** Refits inline, so the scores do not depend on how busy the machine is. */
  private static MetricAnomalyConfig replayable() {
    MetricAnomalyConfig c = new MetricAnomalyConfig();
    c.backgroundRefit = false;
    return c;
  }

  private static ExportMetricsServiceRequest gauge(long time, double value, boolean exemplar) {
    NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setTimeUnixNano(time)
        .setAsDouble(value).addAttributes(KeyValue.newBuilder().setKey("disk")
            .setValue(AnyValue.newBuilder().setStringValue("sda")));
    if (exemplar) {
      p.addExemplars(Exemplar.newBuilder().setTraceId(TRACE).setAsDouble(value)
          .setTimeUnixNano(time));
    }
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(TestData.resource("storage")).addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("disk.io.latency").setUnit("ms")
                .setGauge(Gauge.newBuilder().addDataPoints(p))))).build();
  }

  private static double[] levelShiftSeries(int n, int shiftAt) {
    Random r = new Random(5);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 50 + 10 * Math.sin(2 * Math.PI * i / 288.0) + 0.1 * r.nextGaussian()
          + (i >= shiftAt ? 15 : 0);
    }
    return v;
  }

  private void feed(List<Connector<ExportMetricsServiceRequest>> c, double[] v, int from, int to) {
    for (int i = from; i < to; i++) {
      ExportMetricsServiceRequest b = gauge(T0 + i * FIVE_MINUTES, v[i], i >= 2590);
      for (Connector<ExportMetricsServiceRequest> out : c) {
        assertThat(out.consume(b)).isCompleted();
      }
    }
  }

  private static Map<String, AnyValue> attrs(LogRecord r) {
    Map<String, AnyValue> m = new java.util.HashMap<>();
    r.getAttributesList().forEach(kv -> m.put(kv.getKey(), kv.getValue()));
    return m;
  }

  private List<LogRecord> eventRecords() {
    return events.batches().stream().flatMap(b -> b.getResourceLogsList().stream())
        .flatMap(rl -> rl.getScopeLogsList().stream())
        .flatMap(sl -> sl.getLogRecordsList().stream()).toList();
  }

  /** The records in {@code out}, without the wall-clock observed time, to compare two runs. */
  private static List<LogRecord> records(RecordingConsumer<ExportLogsServiceRequest> out) {
    return out.batches().stream().flatMap(b -> b.getResourceLogsList().stream())
        .flatMap(rl -> rl.getScopeLogsList().stream())
        .flatMap(sl -> sl.getLogRecordsList().stream())
        .map(r -> r.toBuilder().clearObservedTimeUnixNano().build()).toList();
  }

  private static int pointIndex(LogRecord r) {
    return (int) ((r.getTimeUnixNano() - T0) / FIVE_MINUTES);
  }

  @Test
  void aLevelShiftRaisesAnEventInsideItsWindowAndScoresEveryPoint() throws Exception {
    MetricAnomalyConfig config = replayable();
    var c = connector(config);
    double[] v = levelShiftSeries(2700, 2600);
    feed(c, v, 0, 2700);
    assertThat(scores.batches()).hasSize(2700);
    NumberDataPoint first = scores.batches().get(0).getResourceMetrics(0).getScopeMetrics(0)
        .getMetrics(0).getGauge().getDataPoints(0);
    assertThat(scores.batches().get(0).getResourceMetrics(0).getScopeMetrics(0).getMetrics(0)
        .getName()).isEqualTo("vigil.anomaly.score");
    assertThat(first.getAttributesList()).extracting(KeyValue::getKey)
        .containsExactly("metric.name", "disk");
    List<LogRecord> found = eventRecords();
    assertThat(found).anySatisfy(r -> assertThat(pointIndex(r)).isBetween(2600, 2610));
    assertThat(found).noneSatisfy(r -> assertThat(pointIndex(r)).isBetween(2500, 2599));
    LogRecord shift = found.stream().filter(r -> pointIndex(r) >= 2600).findFirst().orElseThrow();
    Map<String, AnyValue> a = attrs(shift);
    assertThat(a.get("vigil.anomaly.kind").getStringValue()).isEqualTo("metric_anomaly");
    assertThat(a.get("service.name").getStringValue()).isEqualTo("storage");
    assertThat(a.get("metric.name").getStringValue()).isEqualTo("disk.io.latency");
    assertThat(a.get("vigil.anomaly.series").getStringValue())
        .isEqualTo("disk.io.latency{disk=sda}");
    assertThat(a.get("vigil.anomaly.score").getDoubleValue())
        .isGreaterThanOrEqualTo(config.detector.alarmLevel());
    assertThat(a.get("vigil.anomaly.trace_ids").getArrayValue().getValues(0).getStringValue())
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(a.get("vigil.anomaly.window.end_unix_nano").getIntValue()
        - a.get("vigil.anomaly.window.start_unix_nano").getIntValue()).isEqualTo(FIVE_MINUTES);
    assertThat(a.get("vigil.anomaly.resolution").getStringValue()).isIn("1x1", "8x4", "32x8");
    assertThat(a.get("vigil.anomaly.probability").getDoubleValue()).isBetween(0.0, 0.05);
    assertThat(a.get("vigil.anomaly.distance").getDoubleValue()).isPositive();
  }

  @Test
  void eitherOutputWiredAloneGetsWhatItGetsWithBothWired() throws Exception {
    double[] v = levelShiftSeries(2700, 2600);
    feed(connector(replayable()), v, 0, 2700);
    RecordingConsumer<ExportMetricsServiceRequest> scoresAlone = new RecordingConsumer<>();
    RecordingConsumer<ExportLogsServiceRequest> eventsAlone = new RecordingConsumer<>();
    feed(List.of(connector(replayable(), ConnectorOutputs.of(Signal.METRICS, scoresAlone))),
        v, 0, 2700);
    feed(List.of(connector(replayable(), ConnectorOutputs.of(Signal.LOGS, eventsAlone))),
        v, 0, 2700);

    // Both outputs come from one scoring of each batch: wiring the second changes nothing.
    assertThat(scores.batches()).hasSize(2700).isEqualTo(scoresAlone.batches());
    assertThat(records(eventsAlone)).isNotEmpty().isEqualTo(records(events));
    assertThat(eventRecords()).anySatisfy(r -> assertThat(pointIndex(r)).isBetween(2600, 2610));
  }

  @Test
  void plantedSpikesAndAShiftRaiseEventsInsideTheirWindowsAndNoneBefore() throws Exception {
    var c = connector(replayable());
    double[] v = levelShiftSeries(4200, 3400);
    v[1500] += 10;
    v[2600] -= 10;
    feed(c, v, 0, 4200);
    List<Integer> at = eventRecords().stream().map(AnomalyConnectorTest::pointIndex).toList();
    // Windows as NAB draws them: 10 % of the series shared by the three events, centred on
    // each, so an event may come at most 70 points late; nothing in the 300 points before.
    for (int event : new int[] {1500, 2600, 3400}) {
      assertThat(at).as("events %s", at).anySatisfy(i -> assertThat(i).isBetween(event,
          event + 70));
      assertThat(at).noneSatisfy(i -> assertThat(i).isBetween(event - 370, event - 71));
    }
  }

  @Test
  void cumulativeCountersAreScoredAsRatesAndResetsAndLatePointsSkipped() throws Exception {
    var c = connector(new MetricAnomalyConfig());
    double[] counts = {100, 160, 220, 10, 70, 70};
    long[] times = {0, 1, 2, 3, 4, 2};
    for (int i = 0; i < counts.length; i++) {
      ExportMetricsServiceRequest b = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
          ResourceMetrics.newBuilder().setResource(TestData.resource("api")).addScopeMetrics(
              ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("requests")
                  .setSum(Sum.newBuilder().setIsMonotonic(true).setAggregationTemporality(
                      AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                      .addDataPoints(NumberDataPoint.newBuilder()
                          .setTimeUnixNano(T0 + times[i] * 60_000_000_000L)
                          .setAsDouble(counts[i])))))).build();
      c.forEach(out -> out.consume(b));
    }
    // The first point has no rate; the reset (220 -> 10) and the late point give none either.
    assertThat(scores.batches()).hasSize(3);
    assertThat(factoryEngine().seriesCount()).isEqualTo(1);
  }

  private MetricAnomalyEngine factoryEngine() {
    return detection().engine();
  }

  /** The engine and model watcher behind the connector the test made last. */
  private AnomalyDetection detection() {
    return (AnomalyDetection) connectors.get(connectors.size() - 1);
  }

  private static byte[] forestModel(int width, String threshold) {
    Random r = new Random(3);
    double[][] rows = new double[500][width];
    for (double[] row : rows) {
      for (int j = 0; j < width; j++) {
        row[j] = r.nextGaussian();
      }
    }
    return IsolationForestOnnx.write(IsolationForest.fit(rows, 20, 128, 1),
        Map.of("vigil.threshold", threshold));
  }

  @Test
  void aBringYourOwnModelScoresInBatchesIsHotReloadedAndABrokenOneIsReported()
      throws Exception {
    Path model = dir.resolve("model.onnx");
    Files.write(model, forestModel(4, "0.6"));
    MetricAnomalyConfig config = new MetricAnomalyConfig();
    config.modelFile = model.toString();
    config.reloadInterval = Duration.ofMillis(50);
    var c = connector(config);
    double[] v = levelShiftSeries(400, 350);
    feed(c, v, 0, 400);
    List<LogRecord> found = eventRecords();
    assertThat(found).isNotEmpty().allSatisfy(r ->
        assertThat(attrs(r).get("vigil.anomaly.model").getStringValue()).isEqualTo("onnx"));
    assertThat(found).allSatisfy(r ->
        assertThat(attrs(r).get("vigil.anomaly.score").getDoubleValue()).isGreaterThanOrEqualTo(0.6));

    // A new model file (a threshold no score reaches) replaces the old one without a restart.
    Files.write(model, forestModel(4, "1.5"));
    Files.setLastModifiedTime(model, java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() + 5000));
    await().atMost(Duration.ofSeconds(10)).until(() -> detection().watcher().current() != null
        && "1.5".equals(detection().watcher().current().metadata().get("vigil.threshold")));
    events.clear();
    feed(c, v, 0, 400);
    assertThat(eventRecords()).isEmpty();

    // A broken file is reported and the last good model stays in use.
    Files.writeString(model, "garbage");
    Files.setLastModifiedTime(model, java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() + 10_000));
    await().atMost(Duration.ofSeconds(10)).until(() -> detection().watcher().failures() >= 1);
    assertThat(detection().watcher().current().metadata()).containsEntry("vigil.threshold", "1.5");
    assertThat(c.get(0).consume(gauge(T0, 1, false))).isCompleted();
  }

  @Test
  void aModelWithTheWrongSignatureLeavesTheBuiltInDetectorScoring() throws Exception {
    Path model = dir.resolve("open.onnx");
    var proto = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(forestModel(4, "0.5"));
    var graph = proto.getGraph().toBuilder();
    graph.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
        .getDimBuilder(1).clearDimValue().setDimParam("n");
    Files.write(model, proto.toBuilder().setGraph(graph).build().toByteArray());
    MetricAnomalyConfig config = replayable();
    config.modelFile = model.toString();
    var c = connector(config);
    assertThat(detection().watcher().failures()).isEqualTo(1);
    assertThat(detection().watcher().current()).isNull();
    double[] v = levelShiftSeries(2700, 2600);
    feed(c, v, 0, 2700);
    assertThat(eventRecords()).isNotEmpty().allSatisfy(r ->
        assertThat(attrs(r).get("vigil.anomaly.model").getStringValue()).isEqualTo("builtin"));
  }

  @Test
  void badConfigNamesTheKey() {
    MetricAnomalyConfig c = new MetricAnomalyConfig();
    c.detector.isolationForest.shingle = 0;
    assertThatThrownBy(() -> factory.validate(c)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("detector::isolation_forest::shingle");
    MetricAnomalyConfig n = new MetricAnomalyConfig();
    n.detector.neighbours.scales.add(new NeighbourSettings.Scale(0, 4));
    assertThatThrownBy(() -> factory.validate(n)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("detector::neighbours::scales::3");
    MetricAnomalyConfig a = new MetricAnomalyConfig();
    a.detector.algorithm = "lstm";
    assertThatThrownBy(() -> factory.validate(a)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("detector::algorithm").hasMessageContaining("\"lstm\"");
    MetricAnomalyConfig d = new MetricAnomalyConfig();
    d.reloadInterval = Duration.ZERO;
    assertThatThrownBy(() -> factory.validate(d)).hasMessageContaining("reload_interval");
    MetricAnomalyConfig m = new MetricAnomalyConfig();
    m.metrics.exclude = List.of("otlp\\..*", "queue(Size");
    assertThatThrownBy(() -> factory.validate(m)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("metrics::exclude::1");
  }

  private static final long TEN_SECONDS = 10_000_000_000L;

  /** A delta count of one window, as the templatecounts connector emits it. */
  private static ExportMetricsServiceRequest windowCount(long window, long count) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(TestData.resource("payments")).addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("log.template.records").setSum(Sum.newBuilder()
                .setIsMonotonic(true).setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                .addDataPoints(NumberDataPoint.newBuilder()
                    .setStartTimeUnixNano(T0 + window * TEN_SECONDS)
                    .setTimeUnixNano(T0 + (window + 1) * TEN_SECONDS).setAsInt(count)))))).build();
  }

  @Test
  void aDeltaSeriesBackFromSilenceIsDatedByItsOwnWindowNotTheSilence() throws Exception {
    // Run 3 of docs/evaluation.md: a start-up template counted once, then zeros until its
    // series went idle; 2 minutes later the services' shutdown logged it again. The event was
    // dated from the last zero, 2 minutes back, into the window of a fault.
    MetricAnomalyConfig config = replayable();
    config.detector.neighbours.warmupPoints = 60;
    var c = connector(config);
    c.forEach(out -> out.consume(windowCount(0, 1)));
    for (int w = 1; w <= 70; w++) {
      long window = w;
      c.forEach(out -> out.consume(windowCount(window, 0)));
    }
    c.forEach(out -> out.consume(windowCount(84, 1)));

    LogRecord back = eventRecords().stream().reduce((a, b) -> b).orElseThrow();
    Map<String, AnyValue> a = attrs(back);
    assertThat(a.get("vigil.anomaly.window.end_unix_nano").getIntValue())
        .isEqualTo(T0 + 85 * TEN_SECONDS);
    assertThat(a.get("vigil.anomaly.window.start_unix_nano").getIntValue())
        .isEqualTo(T0 + 84 * TEN_SECONDS);
  }

  private static ExportMetricsServiceRequest twoMetrics(long time) {
    ScopeMetrics.Builder sm = ScopeMetrics.newBuilder();
    for (String name : List.of("otlp.exporter.exported", "http.server.active_requests")) {
      sm.addMetrics(Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder()
          .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(time).setAsDouble(3))));
    }
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(TestData.resource("orders")).addScopeMetrics(sm)).build();
  }

  private List<String> scoredMetricNames() {
    return scores.batches().stream().flatMap(b -> b.getResourceMetricsList().stream())
        .flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream())
        .flatMap(m -> m.getGauge().getDataPointsList().stream())
        .map(p -> p.getAttributes(0).getValue().getStringValue()).distinct().toList();
  }

  @Test
  void excludedMetricsAreNeitherScoredNorTracked() throws Exception {
    MetricAnomalyConfig config = replayable();
    config.metrics.exclude = List.of("otlp\\.exporter\\..*");
    var c = connector(config);
    c.forEach(out -> out.consume(twoMetrics(T0)));
    assertThat(scoredMetricNames()).containsExactly("http.server.active_requests");
    assertThat(factoryEngine().seriesCount()).isEqualTo(1);
  }

  @Test
  void includeKeepsOnlyWhatMatchesTheWholeName() throws Exception {
    MetricAnomalyConfig config = replayable();
    config.metrics.include = List.of("otlp\\.exporter\\..*", "http\\.server");
    var c = connector(config);
    c.forEach(out -> out.consume(twoMetrics(T0)));
    // "http\\.server" would be found inside http.server.active_requests, but must match it whole.
    assertThat(scoredMetricNames()).containsExactly("otlp.exporter.exported");
  }
}
