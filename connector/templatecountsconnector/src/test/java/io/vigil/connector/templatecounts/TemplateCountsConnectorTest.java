package io.vigil.connector.templatecounts;

import io.vigil.pdata.Attributes;
import io.vigil.testing.TestData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Connector;
import io.vigil.core.component.ConnectorOutputs;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.RecordingConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TemplateCountsConnectorTest {

  private final RecordingConsumer<ExportMetricsServiceRequest> metrics = new RecordingConsumer<>();

  private TemplateCountsConnector connector(int idleWindows) {
    TemplateCountsConfig c = new TemplateCountsConfig();
    c.window = Duration.ofHours(1);
    c.idleWindows = idleWindows;
    new TemplateCountsConnectorFactory().validate(c);
    Connector<ExportLogsServiceRequest> conn = new TemplateCountsConnectorFactory().create(
        new ComponentSettings(ComponentKind.CONNECTOR, ComponentId.of("templatecounts"),
            new GatewayTelemetry()), c, Signal.LOGS, ConnectorOutputs.of(Signal.METRICS, metrics));
    return (TemplateCountsConnector) conn;
  }

  private static ExportLogsServiceRequest logs(String service, String... templateIds) {
    String[] bodies = new String[templateIds.length];
    java.util.Arrays.fill(bodies, "x");
    ExportLogsServiceRequest r = TestData.logs(service, bodies);
    var b = r.toBuilder();
    var records = b.getResourceLogsBuilder(0).getScopeLogsBuilder(0);
    for (int i = 0; i < templateIds.length; i++) {
      records.getLogRecordsBuilder(i)
          .addAttributes(Attributes.string("log.template.id", templateIds[i]));
    }
    return b.build();
  }

  private Map<String, Long> window(int index) {
    Metric m = metrics.batches().get(index).getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
    assertThat(m.getName()).isEqualTo("log.template.records");
    assertThat(m.getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    return m.getSum().getDataPointsList().stream().collect(Collectors.toMap(
        p -> p.getAttributes(0).getValue().getStringValue(), NumberDataPoint::getAsInt));
  }

  @Test
  void countsPerTemplateAndWindowWithZerosForQuietTemplatesUntilTheyAreIdle() {
    TemplateCountsConnector c = connector(1);
    c.start();
    c.consume(logs("checkout", "a", "a", "b"));
    c.consume(logs("checkout", "a"));
    c.consume(ExportLogsServiceRequest.newBuilder().addResourceLogs(
        TestData.logs("checkout", "no template").getResourceLogs(0)).build());
    c.flush();
    assertThat(window(0)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 3L, "b", 1L));
    c.consume(logs("checkout", "b"));
    c.flush();
    assertThat(window(1)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 0L, "b", 1L));
    c.flush();
    assertThat(window(2)).as("a has been idle for more than one window")
        .containsExactlyInAnyOrderEntriesOf(Map.of("b", 0L));
    NumberDataPoint p = metrics.batches().get(1).getResourceMetrics(0).getScopeMetrics(0)
        .getMetrics(0).getSum().getDataPoints(0);
    assertThat(p.getTimeUnixNano()).isGreaterThanOrEqualTo(p.getStartTimeUnixNano());
    c.shutdown(Instant.now().plusSeconds(1));
  }

  @Test
  void recordsWithoutATemplateAreNotCounted() {
    TemplateCountsConnector c = connector(5);
    c.start();
    c.consume(TestData.logs("checkout", "plain"));
    c.flush();
    assertThat(metrics.batches()).isEmpty();
    c.shutdown(Instant.now().plusSeconds(1));
  }

  @Test
  void badConfigNamesTheKey() {
    TemplateCountsConfig c = new TemplateCountsConfig();
    c.window = Duration.ZERO;
    assertThatThrownBy(() -> new TemplateCountsConnectorFactory().validate(c))
        .hasMessageContaining("window");
  }
}
