package io.vigil.receiver.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.vigil.core.Signal;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.pipeline.PipelineGraph;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.pdata.AnomalyRecord;
import io.vigil.testing.CaptureExporterFactory;
import io.vigil.testing.ConfigTestdata;
import io.vigil.testing.FreePort;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Alertmanager notifies the receiver: an alert POSTed to Alertmanager's v2 API arrives as
 * an anomaly record downstream and opens an incident in the incidents exporter of the same
 * pipeline, whose response rule calls a local webhook with the incident; ending the alert sends
 * the resolved notification, marked on the record. Skipped when no Alertmanager binary is
 * installed ({@code apt-get install prometheus-alertmanager}).
 */
class AlertmanagerEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final String sink = "am-e2e-" + UUID.randomUUID();
  private final HttpClient http = HttpClient.newHttpClient();
  private PipelineGraph graph;
  private AlertmanagerServer alertmanager;
  private HttpServer hook;
  private final List<String> paged = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (alertmanager != null) {
      alertmanager.close();
    }
    if (graph != null) {
      graph.shutdown(Duration.ofSeconds(5));
    }
    if (hook != null) {
      hook.stop(0);
    }
  }

  private List<LogRecord> captured() {
    return CaptureExporterFactory.sink(sink).get(Signal.LOGS).batches().stream()
        .flatMap(b -> ((ExportLogsServiceRequest) b).getResourceLogsList().stream())
        .flatMap(rl -> rl.getScopeLogsList().stream())
        .flatMap(sl -> sl.getLogRecordsList().stream()).toList();
  }

  private static boolean resolved(LogRecord r) {
    return r.getAttributesList().stream().anyMatch(kv ->
        kv.getKey().equals(AnomalyRecord.RESOLVED) && kv.getValue().getBoolValue());
  }

  @Test
  void alertFromRealAlertmanagerOpensAnIncident(@TempDir Path dir) throws Exception {
    assumeTrue(AlertmanagerServer.binary() != null, "no alertmanager binary on PATH;"
        + " install Debian's prometheus-alertmanager to run this end-to-end test");
    int webhookPort = FreePort.pick();
    int apiPort = FreePort.pick();
    // What the response rule calls: a real local HTTP server recording the bodies.
    hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    hook.createContext("/page", ex -> {
      try (ex) {
        paged.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        ex.sendResponseHeaders(204, -1);
      }
    });
    hook.start();
    graph = PipelineGraph.build(new ConfigLoader(ConfigTestdata.registry()).load(String.join("\n",
        "receivers:",
        "  alertmanager: {endpoint: \"127.0.0.1:" + webhookPort + "\", auth_token: s3cret}",
        "exporters:",
        "  capture: {sink: " + sink + "}",
        "  incidents:",
        "    directory: \"" + dir.resolve("incidents") + "\"",
        "    api: {endpoint: \"127.0.0.1:" + apiPort + "\"}",
        "    response:",
        "      rules:",
        "        - name: page-orders",
        "          match: {service: orders, kinds: [alertmanager]}",
        "          action:",
        "            url: \"http://127.0.0.1:" + hook.getAddress().getPort() + "/page\"",
        // $$ so the config loader leaves the template's ${...} alone.
        "            body: '{\"incident\": \"$${incident.id}\", \"title\": \"$${incident.title}\"}'",
        "service:",
        "  pipelines:",
        "    logs: {receivers: [alertmanager], exporters: [capture, incidents]}",
        "")), new GatewayTelemetry());
    graph.start();
    alertmanager = AlertmanagerServer.start(dir, "http://127.0.0.1:" + webhookPort
        + "/api/v1/alerts", "s3cret");

    Instant start = Instant.now().minusSeconds(30);
    String alert = "{\"labels\": {\"alertname\": \"HighErrorRate\", \"service\": \"orders\","
        + " \"severity\": \"critical\"}, \"annotations\": {\"summary\": \"orders returns 5xx\"},"
        + " \"startsAt\": \"" + start + "\", \"generatorURL\": \"http://prometheus/graph\"";
    alertmanager.postAlerts("[" + alert + "}]");

    await("the firing alert downstream").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> captured().stream().anyMatch(r -> !resolved(r)));
    LogRecord firing = captured().get(0);
    assertThat(firing.getBody().getStringValue()).isEqualTo("HighErrorRate: orders returns 5xx");

    JsonNode incident = await("an incident for it").atMost(Duration.ofSeconds(10))
        .until(() -> incidents(apiPort), n -> n.path("count").asInt() == 1)
        .path("incidents").get(0);
    assertThat(incident.toString()).contains("orders").contains("HighErrorRate: orders returns 5xx");
    assertThat(incident.path("severity").asText())
        .as("severity=critical scores 1: weight 0.9, high (a lone alert, like a lone metric"
            + " anomaly, is at most high)").isEqualTo("high");
    String id = incident.path("id").asText();
    await("the response rule's webhook").atMost(Duration.ofSeconds(10))
        .until(() -> !paged.isEmpty());
    JsonNode page = JSON.readTree(paged.get(0));
    assertThat(page.path("incident").asText()).isEqualTo(id);
    assertThat(page.path("title").asText()).isEqualTo("HighErrorRate: orders returns 5xx");

    // Ending the alert at Alertmanager sends the resolved notification (send_resolved).
    alertmanager.postAlerts("[" + alert + ", \"endsAt\": \"" + Instant.now().minusSeconds(1)
        + "\"}]");
    await("the resolved alert downstream").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> captured().stream().anyMatch(AlertmanagerEndToEndTest::resolved));
    assertThat(incidents(apiPort).path("count").asInt())
        .as("the resolution joins the alert's incident, it opens no other").isEqualTo(1);
  }

  private JsonNode incidents(int apiPort) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + apiPort + "/api/incidents")).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

}
