package io.vigil.receiver.alertmanager;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.RecordingConsumer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** The receiver on port 0 of 127.0.0.1, feeding a recording logs consumer. */
final class WebhookHarness implements AutoCloseable {

  final RecordingConsumer<ExportLogsServiceRequest> logs = new RecordingConsumer<>();
  final AlertmanagerReceiver receiver;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  WebhookHarness(String token) {
    AlertmanagerReceiverConfig c = new AlertmanagerReceiverConfig();
    c.endpoint = "127.0.0.1:0";
    c.authToken = token;
    c.maxRequestBodySize = 64 * 1024;
    receiver = new AlertmanagerReceiver(new ComponentSettings(ComponentKind.RECEIVER,
        ComponentId.of("alertmanager"), new GatewayTelemetry()), c,
        SignalConsumers.builder().put(Signal.LOGS, logs).build());
    receiver.start();
  }

  HttpResponse<String> post(byte[] body, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + receiver.port() + "/api/v1/alerts"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String body) throws IOException, InterruptedException {
    return post(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
  }

  @Override
  public void close() {
    receiver.shutdown(Instant.now().plusSeconds(2));
  }
}
