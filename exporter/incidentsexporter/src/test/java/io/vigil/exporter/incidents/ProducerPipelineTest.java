package io.vigil.exporter.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.EnvSubstitution;
import io.vigil.core.pipeline.PipelineGraph;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.exporter.incidents.internal.H2IncidentStore;
import io.vigil.processor.logtemplate.LogTemplateProcessorFactory;
import io.vigil.testing.TestComponents;
import io.vigil.testing.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logtemplate processor's own anomaly records, through a pipeline built by the config
 * loader and the pipeline graph, into the incidents exporter: two faults, two incidents.
 */
class ProducerPipelineTest {

  @TempDir Path dir;
  private final TestComponents test = new TestComponents();
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String TRACE_X = "0af7651916cd43dd8448eb211c80319c";
  private static final String TRACE_Y = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void logTemplateAnomaliesBecomeOneIncidentPerFault() throws Exception {
    ComponentRegistry registry = ComponentRegistry.builder()
        .add(ComponentKind.RECEIVER, test.registry().factory(ComponentKind.RECEIVER, "testrcv"))
        .add(ComponentKind.PROCESSOR, new LogTemplateProcessorFactory())
        .add(ComponentKind.EXPORTER, new IncidentsExporterFactory())
        .build();
    String yaml = String.join("\n",
        "receivers: {testrcv: }",
        "processors:",
        "  logtemplate:",
        "    anomalies: {enabled: true, learning_period: 1m, learning_records: 0, window: 1m}",
        "exporters:",
        "  incidents:",
        "    directory: ${env:DIR}",
        "    api: {endpoint: \"\"}",
        "service:",
        "  pipelines:",
        "    logs: {receivers: [testrcv], processors: [logtemplate], exporters: [incidents]}");
    ConfigLoader loader = new ConfigLoader(registry,
        new EnvSubstitution(Map.of("DIR", dir.toString())::get));
    PipelineGraph graph = PipelineGraph.build(loader.load(yaml), new GatewayTelemetry());
    graph.start();
    Consumer<ExportLogsServiceRequest> in =
        test.receivers.get(ComponentId.parse("testrcv")).consumers.get(Signal.LOGS);

    // Learning: each service's usual messages.
    in.consume(logs(T0,
        line("storefront", "Checkout 1 started", null, false),
        line("orders", "Order 1 accepted", null, false),
        line("payments", "Payment 1 captured", null, false),
        line("inventory", "Stock checked for item 1", null, false))).get(5, TimeUnit.SECONDS);
    in.consume(logs(T0.plusSeconds(50),
        line("orders", "Order 2 accepted", null, false),
        line("payments", "Payment 2 captured", null, false),
        line("inventory", "Stock checked for item 2", null, false))).get(5, TimeUnit.SECONDS);

    // Fault 1: the card gateway times out; orders fails the same requests (shared traces).
    // Fault 2, unrelated: inventory's sync breaks on a request of its own.
    Instant fault = T0.plus(Duration.ofMinutes(3));
    in.consume(logs(fault,
        line("payments", "Card gateway timeout after 3000 ms", TRACE_X, true),
        line("orders", "Payment call failed with status 502", TRACE_X, true),
        line("inventory", "Stock sync failed for warehouse 7", TRACE_Y, true),
        // New, but INFO and alone: the opening policy holds it, and it expires unopened.
        line("storefront", "Newsletter 7 mailed to subscribers", null, false)))
        .get(5, TimeUnit.SECONDS);
    in.consume(logs(fault.plusSeconds(5),
        line("payments", "Card gateway timeout after 3100 ms", TRACE_X, true),
        line("orders", "Order 3 accepted", null, false))).get(5, TimeUnit.SECONDS);
    graph.shutdown(Duration.ofSeconds(5));

    try (H2IncidentStore store = H2IncidentStore.open(dir)) {
      List<Incident> incidents = store.list(IncidentQuery.all(10));
      assertThat(incidents).hasSize(2);
      assertThat(incidents).noneMatch(i -> i.services().contains("storefront"));
      Incident card = incidents.stream().filter(i -> i.services().contains("payments"))
          .findFirst().orElseThrow();
      assertThat(card.services()).containsExactlyInAnyOrder("payments", "orders");
      assertThat(card.traceIds()).contains(TRACE_X);
      assertThat(card.evidence()).extracting(Evidence::kind).contains("new_template");
      assertThat(card.evidence()).extracting(Evidence::template)
          .contains("Card gateway timeout after <*> ms");
      Incident stock = incidents.stream().filter(i -> i.services().contains("inventory"))
          .findFirst().orElseThrow();
      assertThat(stock.services()).containsExactly("inventory");
      assertThat(stock.state()).isEqualTo(IncidentState.OPEN);
    }
  }

  private record Line(String service, LogRecord record) {}

  private static Line line(String service, String body, String trace, boolean error) {
    LogRecord.Builder r = LogRecord.newBuilder()
        .setBody(AnyValue.newBuilder().setStringValue(body))
        .setSeverityNumber(error ? SeverityNumber.SEVERITY_NUMBER_ERROR
            : SeverityNumber.SEVERITY_NUMBER_INFO);
    if (trace != null) {
      r.setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(trace)));
    }
    return new Line(service, r.build());
  }

  private static ExportLogsServiceRequest logs(Instant at, Line... lines) {
    long nanos = at.getEpochSecond() * 1_000_000_000L;
    ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
    for (Line l : lines) {
      b.addResourceLogs(ResourceLogs.newBuilder().setResource(TestData.resource(l.service()))
          .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(l.record().toBuilder()
              .setTimeUnixNano(nanos))));
    }
    return b.build();
  }
}
