package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.vigil.core.Signal;
import io.vigil.testing.CaptureExporterFactory;
import io.vigil.testing.FreePort;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue #17, defect 2: a graceful shutdown drains in graph order. The spanmetrics connector
 * flushes what it counted since its last flush when it stops; the metrics pipeline it feeds
 * (here through a batch processor that would otherwise hold the points for an hour) must still
 * be up to take that flush and pass it on to the exporter.
 */
class ShutdownDrainTest {

  private static long calls(List<ExportMetricsServiceRequest> batches) {
    return batches.stream().flatMap(b -> b.getResourceMetricsList().stream())
        .flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream())
        .filter(m -> m.getName().equals("traces.span.metrics.calls"))
        .map(Metric::getSum)
        .flatMap(s -> s.getDataPointsList().stream())
        .mapToLong(p -> p.getAsInt()).sum();
  }

  @Test
  void connectorsLastFlushReachesTheExporterOnShutdown() throws Exception {
    CaptureExporterFactory.reset();
    String grpc = FreePort.endpoint();
    Gateway gateway = Gateway.start(String.join("\n",
        "receivers:",
        "  otlp: {protocols: {grpc: {endpoint: '" + grpc + "'}}}",
        "processors:",
        "  batch: {timeout: 1h, send_batch_size: 100000}",
        "connectors:",
        "  spanmetrics: {metrics_flush_interval: 1h}",
        "exporters:",
        "  capture: {sink: drain}",
        "service:",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines:",
        "    traces: {receivers: [otlp], exporters: [spanmetrics]}",
        "    metrics: {receivers: [spanmetrics], processors: [batch], exporters: [capture]}"),
        Duration.ofSeconds(10));
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), "orders"))))
        .addSpanProcessor(BatchSpanProcessor.builder(
            OtlpGrpcSpanExporter.builder().setEndpoint("http://" + grpc).build()).build())
        .build()) {
      Tracer tracer = provider.get("test");
      for (int i = 0; i < 7; i++) {
        tracer.spanBuilder("GET /orders").startSpan().end();
      }
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      gateway.close();
    }
    var sink = CaptureExporterFactory.sink("drain").get(Signal.METRICS);
    assertThat(calls(sink.batches()))
        .as("calls counted by spanmetrics' final flush, through batch, at the exporter")
        .isEqualTo(7);
  }
}
