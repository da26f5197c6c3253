package io.vigil.testing;

import io.vigil.core.pipeline.PipelineGraph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.EnvSubstitution;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PipelineGraphTest {

  private final TestComponents components = new TestComponents();
  private final ConfigLoader loader =
      new ConfigLoader(components.registry(), new EnvSubstitution(Map.<String, String>of()::get));

  private PipelineGraph start(String yaml) {
    PipelineGraph g = PipelineGraph.build(loader.load(yaml), new GatewayTelemetry());
    g.start();
    return g;
  }

  private Consumer<ExportTraceServiceRequest> tracesInto(String receiver) {
    return components.receivers.get(ComponentId.parse(receiver)).consumers.get(Signal.TRACES);
  }

  private TestComponents.TestExporter exporter(String id) {
    return components.exporters.get(ComponentId.parse(id));
  }

  @Test
  void oneReceiverFeedsSeveralPipelinesAndOnePipelineFansOut() throws Exception {
    PipelineGraph g = start(String.join("\n",
        "receivers: {testrcv: }",
        "processors: {rename: {span_name: changed}}",
        "exporters: {testexp/a: , testexp/b: , testexp/c: }",
        "service:",
        "  pipelines:",
        "    traces/renamed: {receivers: [testrcv], processors: [rename],"
            + " exporters: [testexp/a, testexp/b]}",
        "    traces/raw: {receivers: [testrcv], exporters: [testexp/c]}"));
    ExportTraceServiceRequest batch = TestData.spans(3);

    tracesInto("testrcv").consume(batch).get(5, TimeUnit.SECONDS);

    var a = exporter("testexp/a").consumer(Signal.TRACES).batches();
    var b = exporter("testexp/b").consumer(Signal.TRACES).batches();
    var c = exporter("testexp/c").consumer(Signal.TRACES).batches();
    assertThat(a).hasSize(1);
    assertThat(b).hasSize(1);
    assertThat(a.get(0)).as("fan-out shares one immutable batch, no copy").isSameAs(b.get(0));
    assertThat(a.get(0).getResourceSpans(0).getScopeSpans(0).getSpansList())
        .allSatisfy(s -> assertThat(s.getName()).isEqualTo("changed"));
    assertThat(c).containsExactly(batch);
    assertThat(c.get(0).getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
        .as("the other pipeline never sees the processor's change")
        .isEqualTo("span-0");
    g.shutdown(Duration.ofSeconds(1));
  }

  @Test
  void sameExporterInTwoSignalPipelinesIsOneInstance() throws Exception {
    start(String.join("\n",
        "receivers: {testrcv: }",
        "exporters: {testexp: }",
        "service:",
        "  pipelines:",
        "    traces: {receivers: [testrcv], exporters: [testexp]}",
        "    logs: {receivers: [testrcv], exporters: [testexp]}"));
    assertThat(components.exporters).hasSize(1);
    Consumer<ExportLogsServiceRequest> logs =
        components.receivers.get(ComponentId.parse("testrcv")).consumers.get(Signal.LOGS);
    logs.consume(TestData.logs(2)).get(5, TimeUnit.SECONDS);
    tracesInto("testrcv").consume(TestData.spans(1)).get(5, TimeUnit.SECONDS);
    assertThat(exporter("testexp").consumer(Signal.LOGS).batches()).hasSize(1);
    assertThat(exporter("testexp").consumer(Signal.TRACES).batches()).hasSize(1);
    assertThat(components.receivers.get(ComponentId.parse("testrcv")).consumers.signals())
        .containsExactlyInAnyOrder(Signal.TRACES, Signal.LOGS);
  }

  @Test
  void connectorJoinsPipelines() throws Exception {
    start(String.join("\n",
        "receivers: {testrcv: }",
        "exporters: {testexp/a: , testexp/b: }",
        "connectors: {forward: }",
        "service:",
        "  pipelines:",
        "    traces/in: {receivers: [testrcv], exporters: [testexp/a, forward]}",
        "    traces/out: {receivers: [forward], exporters: [testexp/b]}"));
    ExportTraceServiceRequest batch = TestData.spans(2);
    tracesInto("testrcv").consume(batch).get(5, TimeUnit.SECONDS);
    assertThat(exporter("testexp/b").consumer(Signal.TRACES).batches()).containsExactly(batch);
  }

  @Test
  void connectorWithTwoOutgoingSignalsIsCreatedOnceAndFeedsBoth() throws Exception {
    start(String.join("\n",
        "receivers: {testrcv: }",
        "exporters: {testexp/traces: , testexp/logs: , testexp/more: }",
        "connectors: {split: }",
        "service:",
        "  pipelines:",
        "    traces/in: {receivers: [testrcv], exporters: [split]}",
        "    traces/out: {receivers: [split], exporters: [testexp/traces]}",
        "    logs/out: {receivers: [split], exporters: [testexp/logs]}",
        "    logs/more: {receivers: [split], exporters: [testexp/more]}"));
    assertThat(components.connectorsCreated).containsExactly("split traces→[traces, logs]");

    ExportTraceServiceRequest batch = TestData.spans(3);
    tracesInto("testrcv").consume(batch).get(5, TimeUnit.SECONDS);

    assertThat(exporter("testexp/traces").consumer(Signal.TRACES).batches())
        .containsExactly(batch);
    assertThat(exporter("testexp/logs").consumer(Signal.LOGS).batches())
        .singleElement().satisfies(l -> assertThat(
            l.getResourceLogs(0).getScopeLogs(0).getLogRecordsCount()).isEqualTo(3));
    assertThat(exporter("testexp/more").consumer(Signal.LOGS).batches()).hasSize(1);
  }

  @Test
  void connectorWithOnlyOneOfItsOutputsWiredStillWorks() throws Exception {
    start(String.join("\n",
        "receivers: {testrcv: }",
        "exporters: {testexp: }",
        "connectors: {split: }",
        "service:",
        "  pipelines:",
        "    traces/in: {receivers: [testrcv], exporters: [split]}",
        "    logs/out: {receivers: [split], exporters: [testexp]}"));
    assertThat(components.connectorsCreated).containsExactly("split traces→[logs]");

    tracesInto("testrcv").consume(TestData.spans(2)).get(5, TimeUnit.SECONDS);

    assertThat(exporter("testexp").consumer(Signal.LOGS).batches()).hasSize(1);
  }

  @Test
  void connectorOutputsLeaveOutSignalsTheConnectorCannotEmit() throws Exception {
    start(String.join("\n",
        "receivers: {testrcv: }",
        "exporters: {testexp/logs: , testexp/metrics: }",
        "connectors: {split: }",
        "service:",
        "  pipelines:",
        "    traces/in: {receivers: [testrcv], exporters: [split]}",
        "    logs/out: {receivers: [split], exporters: [testexp/logs]}",
        "    metrics/out: {receivers: [split], exporters: [testexp/metrics]}"));
    assertThat(components.connectorsCreated).containsExactly("split traces→[logs]");
  }

  @Test
  void refusalInOneBranchReachesTheReceiverButOtherBranchesStillGetTheBatch() {
    start(String.join("\n",
        "receivers: {testrcv: }",
        "exporters: {testexp/ok: , testexp/full: }",
        "service:",
        "  pipelines:",
        "    traces: {receivers: [testrcv], exporters: [testexp/ok, testexp/full]}"));
    exporter("testexp/full").consumer(Signal.TRACES)
        .refuseWith(ConsumeException.retryable("queue full"));

    CompletableFuture<Void> r = tracesInto("testrcv").consume(TestData.spans(1));

    assertThat(r).failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .satisfies(t -> assertThat(ConsumeException.from(t).kind())
            .isEqualTo(ConsumeException.Kind.RETRYABLE));
    assertThat(exporter("testexp/ok").consumer(Signal.TRACES).batches()).hasSize(1);
  }

  @Test
  void startsExportersFirstAndStopsReceiversFirst() {
    PipelineGraph g = start(String.join("\n",
        "receivers: {testrcv: }",
        "processors: {rename: }",
        "exporters: {testexp: }",
        "service:",
        "  pipelines:",
        "    traces: {receivers: [testrcv], processors: [rename], exporters: [testexp]}"));
    g.shutdown(Duration.ofSeconds(1));
    assertThat(components.events).containsExactly(
        "start exporter testexp",
        "start processor rename",
        "start receiver testrcv",
        "stop receiver testrcv",
        "stop processor rename",
        "stop exporter testexp");
  }

  @Test
  void failedStartStopsWhatStartedAndNamesTheComponent() {
    PipelineGraph g = PipelineGraph.build(loader.load(String.join("\n",
        "receivers: {testrcv: {endpoint: '127.0.0.1:4317', fail_start: true}}",
        "exporters: {testexp: }",
        "service:",
        "  pipelines:",
        "    traces: {receivers: [testrcv], exporters: [testexp]}")), new GatewayTelemetry());
    assertThatThrownBy(g::start)
        .isInstanceOf(ConfigException.class)
        .hasMessage("receivers::testrcv: cannot start: address already in use: 127.0.0.1:4317");
    assertThat(components.events).containsExactly("start exporter testexp", "stop exporter testexp");
    assertThat(g.isRunning()).isFalse();
  }

  @Test
  void processorTrafficIsCounted() throws Exception {
    GatewayTelemetry telemetry = new GatewayTelemetry();
    PipelineGraph g = PipelineGraph.build(loader.load(String.join("\n",
        "receivers: {testrcv: }",
        "processors: {rename: }",
        "exporters: {testexp: }",
        "service:",
        "  pipelines:",
        "    traces: {receivers: [testrcv], processors: [rename], exporters: [testexp]}")),
        telemetry);
    g.start();
    tracesInto("testrcv").consume(TestData.spans(7)).get(5, TimeUnit.SECONDS);
    var snapshots = telemetry.registry().scrape();
    assertThat(snapshots.stream()
            .filter(s -> s.getMetadata().getName().equals("otelcol_processor_incoming_items"))
            .flatMap(s -> s.getDataPoints().stream())
            .mapToDouble(d -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot
                .CounterDataPointSnapshot) d).getValue())
            .sum())
        .isEqualTo(7.0);
  }
}
