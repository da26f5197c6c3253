package io.vigil.exporter.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.config.ConfigException;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertsExporterTest {

  private HttpServer server;
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger failFirst = new AtomicInteger();
  private Exporter exporter;

  @BeforeEach
  void startReceiver() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      int status = failFirst.getAndDecrement() > 0 ? 503 : 200;
      if (status == 200) {
        received.add(new ObjectMapper().readTree(new String(body, StandardCharsets.UTF_8)));
      }
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(2));
    }
    server.stop(0);
  }

  private Exporter exporter(Duration repeat) throws Exception {
    AlertsExporterConfig c = new AlertsExporterConfig();
    c.webhookUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    c.repeatInterval = repeat;
    exporter = started(c);
    return exporter;
  }

  /** Validates {@code c}, then creates and starts the exporter it configures. */
  static Exporter started(AlertsExporterConfig c) throws Exception {
    new AlertsExporterFactory().validate(c);
    Exporter e = new AlertsExporterFactory().create(new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("alerts"), new GatewayTelemetry()), c, java.util.Set.of(Signal.LOGS));
    e.start();
    return e;
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  static LogRecord anomaly(String kind, String service, String template) {
    LogRecord.Builder r = LogRecord.newBuilder().setTimeUnixNano(1_780_000_000_000_000_000L)
        .setBody(AnyValue.newBuilder().setStringValue(service + ": " + kind))
        .addAttributes(kv("vigil.anomaly.kind", kind))
        .addAttributes(kv("vigil.anomaly.source", "logs"))
        .addAttributes(kv("service.name", service))
        .addAttributes(KeyValue.newBuilder().setKey("vigil.anomaly.trace_ids").setValue(
            AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(
                AnyValue.newBuilder().setStringValue("4bf92f3577b34da6a3ce929d0e0e4736")))));
    if (template != null) {
      r.addAttributes(kv("log.template.id", template)).addAttributes(kv("log.template", "x <*>"));
    }
    return r.build();
  }

  static ExportLogsServiceRequest batch(LogRecord... records) {
    ScopeLogs.Builder s = ScopeLogs.newBuilder();
    for (LogRecord r : records) {
      s.addLogRecords(r);
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(s)).build();
  }

  @Test
  void anomaliesOfOneKeyMakeOneAlertAndOtherKeysTheirOwn() throws Exception {
    var e = exporter(Duration.ofHours(1));
    var logs = e.consumer(Signal.LOGS);
    LogRecord plain = LogRecord.newBuilder()
        .setBody(AnyValue.newBuilder().setStringValue("an ordinary log line")).build();
    assertThat(logs.consume(batch(anomaly("new_template", "payments", "00000000000000aa"),
        anomaly("error_surge", "payments", "00000000000000aa"), plain,
        anomaly("error_surge", "payments", "00000000000000aa")))).isCompleted();
    logs.consume(batch(anomaly("new_template", "payments", "00000000000000aa"),
        anomaly("error_surge", "orders", null)));
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 2);
    assertThat(received).extracting(j -> j.at("/alerts/0/labels/service").asText())
        .containsExactlyInAnyOrder("payments", "orders");
    assertThat(((AlertsExporter) e).repeats("payments/00000000000000aa")).isEqualTo(3);

    JsonNode payments = received.stream()
        .filter(j -> j.at("/alerts/0/labels/service").asText().equals("payments"))
        .findFirst().orElseThrow();
    assertThat(payments.get("version").asText()).isEqualTo("4");
    assertThat(payments.get("status").asText()).isEqualTo("firing");
    assertThat(payments.at("/alerts/0/labels/alertname").asText()).isEqualTo("VigilAnomaly");
    assertThat(payments.at("/alerts/0/labels/kind").asText()).isEqualTo("new_template");
    assertThat(payments.at("/alerts/0/labels/template_id").asText()).isEqualTo("00000000000000aa");
    assertThat(payments.at("/alerts/0/annotations/trace_ids").asText())
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(Instant.parse(payments.at("/alerts/0/startsAt").asText()))
        .isEqualTo(Instant.ofEpochSecond(1_780_000_000L));
    JsonNode orders = received.stream()
        .filter(j -> j.at("/alerts/0/labels/service").asText().equals("orders"))
        .findFirst().orElseThrow();
    assertThat(orders.at("/alerts/0/labels/kind").asText()).isEqualTo("error_surge");
    assertThat(orders.at("/alerts/0/labels/template_id").isMissingNode()).isTrue();
  }

  @Test
  void aKeyAlertsAgainAfterTheRepeatInterval() throws Exception {
    AlertsExporter e = (AlertsExporter) exporter(Duration.ofMinutes(5));
    long t0 = 0;
    assertThat(e.newAlerts(batch(anomaly("new_template", "a", "01")), t0)).hasSize(1);
    assertThat(e.newAlerts(batch(anomaly("new_template", "a", "01")),
        t0 + Duration.ofMinutes(4).toNanos())).isEmpty();
    assertThat(e.newAlerts(batch(anomaly("new_template", "a", "01")),
        t0 + Duration.ofMinutes(6).toNanos())).hasSize(1);
  }

  @Test
  void aWebhookThatFailsIsRetried() throws Exception {
    failFirst.set(2);
    exporter(Duration.ofHours(1)).consumer(Signal.LOGS)
        .consume(batch(anomaly("new_template", "payments", "0b")));
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    assertThat(failFirst.get()).isNegative();
  }

  @Test
  void aBadWebhookUrlNamesTheKey() {
    AlertsExporterConfig c = new AlertsExporterConfig();
    c.webhookUrl = "ftp://example";
    assertThatThrownBy(() -> new AlertsExporterFactory().validate(c))
        .isInstanceOf(ConfigException.class).hasMessageContaining("webhook_url");
  }
}
