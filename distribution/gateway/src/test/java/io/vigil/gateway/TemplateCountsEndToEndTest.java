package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.vigil.core.Signal;
import io.vigil.testing.CaptureExporterFactory;
import io.vigil.testing.FreePort;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Log template counts as metrics: logs through logtemplate, counted per template and window by
 * the templatecounts connector, and those series scored by the anomaly connector — the chain
 * that lets a model over per-window template counts run through the metrics anomaly scoring.
 */
class TemplateCountsEndToEndTest {

  private static List<Metric> metrics(List<ExportMetricsServiceRequest> batches, String name) {
    return batches.stream().flatMap(b -> b.getResourceMetricsList().stream())
        .flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream())
        .filter(m -> m.getName().equals(name)).toList();
  }

  @Test
  void templateCountsFlowIntoTheAnomalyConnector() throws Exception {
    CaptureExporterFactory.reset();
    String grpc = FreePort.endpoint();
    try (AutoCloseable gateway = Gateway.start(String.join("\n",
        "receivers:",
        "  otlp: {protocols: {grpc: {endpoint: '" + grpc + "'}}}",
        "processors:",
        "  logtemplate: {}",
        "connectors:",
        "  templatecounts: {window: 200ms}",
        "  anomaly: {}",
        "exporters:",
        "  capture: {sink: out}",
        "service:",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines:",
        "    logs: {receivers: [otlp], processors: [logtemplate], exporters: [templatecounts]}",
        "    metrics/templates: {receivers: [templatecounts], exporters: [anomaly, capture]}",
        "    metrics/scores: {receivers: [anomaly], exporters: [capture]}"),
        Duration.ofSeconds(5));
        SdkLoggerProvider provider = SdkLoggerProvider.builder()
            .setResource(Resource.getDefault().merge(Resource.create(
                Attributes.of(AttributeKey.stringKey("service.name"), "orders"))))
            .addLogRecordProcessor(BatchLogRecordProcessor.builder(
                OtlpGrpcLogRecordExporter.builder().setEndpoint("http://" + grpc).build())
                .setScheduleDelay(Duration.ofMillis(20)).build())
            .build()) {
      Logger logger = provider.get("orders");
      for (int i = 0; i < 30; i++) {
        logger.logRecordBuilder().setBody("order " + i + " shipped to depot " + (i % 3)).emit();
      }
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      var sink = CaptureExporterFactory.sink("out").get(Signal.METRICS);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
          metrics(sink.batches(), "log.template.records").stream()
              .flatMap(m -> m.getSum().getDataPointsList().stream())
              .mapToLong(p -> p.getAsInt()).sum()).isEqualTo(30));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
          metrics(sink.batches(), "vigil.anomaly.score")).anySatisfy(m ->
              assertThat(m.getGauge().getDataPoints(0).getAttributesList())
                  .anySatisfy(kv -> assertThat(kv.getKey()).isEqualTo("log.template.id"))));
    }
  }
}
