package io.vigil.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The exposed names and labels are the OpenTelemetry Collector's, so its dashboards work. */
class GatewayTelemetryTest {

  private static String scrape(GatewayTelemetry t) throws IOException {
    var out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, t.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void exposesTheCollectorsNamesAndLabels() throws IOException {
    GatewayTelemetry t = new GatewayTelemetry();
    var rcv = t.receiver(ComponentId.of("otlp"), "grpc");
    rcv.accepted(Signal.TRACES, 3);
    rcv.accepted(Signal.METRICS, 4);
    rcv.accepted(Signal.LOGS, 5);
    rcv.refused(Signal.TRACES, 1);
    var proc = t.processor(ComponentId.of("batch"), "traces");
    proc.incoming(Signal.TRACES, 3);
    proc.outgoing(Signal.TRACES, 3);
    t.processor(ComponentId.of("memory_limiter"), "logs").refused(Signal.LOGS, 2);
    var exp = t.exporter(ComponentId.of("otlp", "backend"));
    exp.sent(Signal.TRACES, 3);
    exp.sent(Signal.METRICS, 4);
    exp.sent(Signal.LOGS, 5);
    exp.sendFailed(Signal.METRICS, 6, "permanent");
    exp.enqueueFailed(Signal.LOGS, 7);
    exp.queue(Signal.TRACES, () -> 8, () -> 1000);

    assertThat(scrape(t))
        .contains("otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"grpc\"} 3.0")
        .contains("otelcol_receiver_accepted_metric_points_total{receiver=\"otlp\",transport=\"grpc\"} 4.0")
        .contains("otelcol_receiver_accepted_log_records_total{receiver=\"otlp\",transport=\"grpc\"} 5.0")
        .contains("otelcol_receiver_refused_spans_total{receiver=\"otlp\",transport=\"grpc\"} 1.0")
        .contains("otelcol_processor_incoming_items_total{otel_signal=\"traces\",pipeline=\"traces\","
            + "processor=\"batch\"} 3.0")
        .contains("otelcol_processor_outgoing_items_total{otel_signal=\"traces\",pipeline=\"traces\","
            + "processor=\"batch\"} 3.0")
        .contains("otelcol_processor_refused_log_records_total{pipeline=\"logs\","
            + "processor=\"memory_limiter\"} 2.0")
        .contains("otelcol_exporter_sent_spans_total{exporter=\"otlp/backend\"} 3.0")
        .contains("otelcol_exporter_sent_metric_points_total{exporter=\"otlp/backend\"} 4.0")
        .contains("otelcol_exporter_sent_log_records_total{exporter=\"otlp/backend\"} 5.0")
        .contains("otelcol_exporter_send_failed_metric_points_total{exporter=\"otlp/backend\","
            + "reason=\"permanent\"} 6.0")
        .contains("otelcol_exporter_enqueue_failed_log_records_total{exporter=\"otlp/backend\"} 7.0")
        .contains("otelcol_exporter_queue_size{data_type=\"traces\",exporter=\"otlp/backend\"} 8")
        .contains("otelcol_exporter_queue_capacity{data_type=\"traces\",exporter=\"otlp/backend\"} 1000")
        .doesNotContain("vigil_receiver_accepted", "vigil_exporter_sent", "_items_total{signal");
  }
}
