package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.vigil.core.Signal;
import io.vigil.testing.CaptureExporterFactory;
import io.vigil.testing.FreePort;
import io.vigil.testing.RecordingConsumer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logs sent by the OpenTelemetry SDK through a gateway with the logtemplate processor come out
 * with template attributes, and a burst of a new error template after the learning period
 * yields exactly one new-template anomaly record for it and one alert on the webhook.
 */
class LogTemplateEndToEndTest {

  @TempDir
  java.nio.file.Path dir;

  private AutoCloseable gateway;
  private com.sun.net.httpserver.HttpServer webhook;
  private SdkLoggerProvider provider;

  @AfterEach
  void stop() throws Exception {
    if (provider != null) {
      provider.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (webhook != null) {
      webhook.stop(0);
    }
  }

  private static Map<String, String> attributes(LogRecord r) {
    return r.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey,
        kv -> kv.getValue().getStringValue(), (a, b) -> b));
  }

  @Test
  void recordsGetTemplatesAndANewErrorBurstIsOneAlert() throws Exception {
    CaptureExporterFactory.reset();
    String grpc = FreePort.endpoint();
    List<String> alerts = new java.util.concurrent.CopyOnWriteArrayList<>();
    webhook = startWebhook(alerts);
    gateway = Gateway.start(String.join("\n",
        "receivers:",
        "  otlp: {protocols: {grpc: {endpoint: '" + grpc + "'}}}",
        "processors:",
        "  logtemplate:",
        "    state_file: '" + dir.resolve("templates.json") + "'",
        "    anomalies: {enabled: true, learning_period: 10m, window: 1m}",
        "  batch: {send_batch_size: 50, timeout: 50ms}",
        "exporters:",
        "  capture: {sink: logs}",
        "  alerts: {webhook_url: 'http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts'}",
        "service:",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines:",
        "    logs: {receivers: [otlp], processors: [logtemplate, batch], exporters: [capture, alerts]}"),
        Duration.ofSeconds(5));
    provider = SdkLoggerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), "payments"))))
        .addLogRecordProcessor(BatchLogRecordProcessor.builder(
            OtlpGrpcLogRecordExporter.builder().setEndpoint("http://" + grpc).build())
            .setScheduleDelay(Duration.ofMillis(50)).build())
        .build();
    Logger logger = provider.get("io.vigil.test.Payments");
    // Twenty minutes of usual traffic (record time), then a burst of a kind never seen.
    Instant start = Instant.now().minus(Duration.ofMinutes(30));
    for (int i = 0; i < 200; i++) {
      logger.logRecordBuilder().setTimestamp(start.plusSeconds(6L * i))
          .setSeverity(Severity.INFO).setBody("charged card ending " + (1000 + i) + " for order "
              + i).emit();
    }
    Instant burst = start.plus(Duration.ofMinutes(21));
    for (int i = 0; i < 40; i++) {
      logger.logRecordBuilder().setTimestamp(burst.plusMillis(100L * i))
          .setSeverity(Severity.ERROR).setBody("card processor timed out after " + (3000 + i)
              + " ms for order " + i).emit();
    }
    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    var sink = CaptureExporterFactory.sink("logs").get(Signal.LOGS);
    await().atMost(Duration.ofSeconds(20)).until(() -> records(sink).size() >= 241);
    List<LogRecord> all = records(sink);
    List<LogRecord> app = all.stream()
        .filter(r -> !attributes(r).containsKey("vigil.anomaly.kind")).toList();
    assertThat(app).hasSize(240).allSatisfy(r -> assertThat(attributes(r))
        .containsKeys("log.template.id", "log.template"));
    assertThat(app).extracting(r -> attributes(r).get("log.template")).containsOnly(
        "charged card ending <*> for order <*>", "card processor timed out after <*> ms for order <*>");
    String errorTemplate = attributes(app.get(239)).get("log.template.id");

    List<LogRecord> anomalies = all.stream()
        .filter(r -> attributes(r).containsKey("vigil.anomaly.kind")).toList();
    assertThat(anomalies).filteredOn(r -> attributes(r).get("vigil.anomaly.kind")
        .equals("new_template")).singleElement().satisfies(r -> {
          assertThat(attributes(r)).containsEntry("log.template.id", errorTemplate)
              .containsEntry("service.name", "payments");
          assertThat(r.getBody().getStringValue()).contains("never seen");
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> !alerts.isEmpty());
    assertThat(alerts).singleElement().satisfies(body -> assertThat(body)
        .contains("\"service\":\"payments\"", "\"kind\":\"new_template\"",
            "\"template_id\":\"" + errorTemplate + "\""));
  }

  private static com.sun.net.httpserver.HttpServer startWebhook(List<String> bodies)
      throws java.io.IOException {
    var server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/alerts", ex -> {
      bodies.add(new String(ex.getRequestBody().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    return server;
  }

  private static List<LogRecord> records(
      RecordingConsumer<ExportLogsServiceRequest> sink) {
    return sink.batches().stream()
        .flatMap(b -> b.getResourceLogsList().stream())
        .flatMap(rl -> rl.getScopeLogsList().stream())
        .flatMap(sl -> sl.getLogRecordsList().stream()).toList();
  }
}
