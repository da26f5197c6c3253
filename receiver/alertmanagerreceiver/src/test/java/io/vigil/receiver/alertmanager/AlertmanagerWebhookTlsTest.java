package io.vigil.receiver.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.config.tls.ClientTls;
import io.vigil.config.tls.TlsClientSettings;
import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.ConfigTestdata;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook behind mutual TLS: Alertmanager's {@code tls_config} with a client certificate. */
class AlertmanagerWebhookTlsTest {

  @TempDir Path dir;

  private final RecordingConsumer<ExportLogsServiceRequest> logs = new RecordingConsumer<>();
  private TestCertificates.Ca ca;
  private AlertmanagerReceiver receiver;

  @BeforeEach
  void start() {
    ca = TestCertificates.ca(dir, "ca");
    TestCertificates.Issued server = ca.server(dir, "webhook");
    AlertmanagerReceiverConfig c = new AlertmanagerReceiverConfig();
    c.endpoint = "127.0.0.1:0";
    c.tls = new TlsServerSettings();
    c.tls.certFile = server.certFile().toString();
    c.tls.keyFile = server.keyFile().toString();
    c.tls.clientCaFile = ca.certFile().toString();
    new AlertmanagerReceiverFactory().validate(c);
    receiver = new AlertmanagerReceiver(new ComponentSettings(ComponentKind.RECEIVER,
        ComponentId.of("alertmanager"), new GatewayTelemetry()), c,
        SignalConsumers.builder().put(Signal.LOGS, logs).build());
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.shutdown(Instant.now().plusSeconds(2));
  }

  private HttpResponse<String> post(TestCertificates.Issued client)
      throws IOException, InterruptedException {
    TlsClientSettings s = new TlsClientSettings();
    s.caFile = ca.certFile().toString();
    if (client != null) {
      s.certFile = client.certFile().toString();
      s.keyFile = client.keyFile().toString();
    }
    try (ClientTls tls = s.load("tls")) {
      SSLContext ctx = tls.sslContext();
      HttpClient http = HttpClient.newBuilder().sslContext(ctx)
          .sslParameters(tls.sslParameters(ctx)).connectTimeout(Duration.ofSeconds(5)).build();
      return http.send(HttpRequest.newBuilder(URI.create(
              "https://127.0.0.1:" + receiver.port() + "/api/v1/alerts"))
          .timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(ConfigTestdata.yaml("firing.json")))
          .build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void alertmanagerWithClientCertificateIsHeard() throws Exception {
    assertThat(post(ca.client(dir, "alertmanager")).statusCode()).isEqualTo(200);
    assertThat(logs.batches()).hasSize(1);
  }

  @Test
  void clientWithoutCertificateFailsTheHandshake() {
    assertThatThrownBy(() -> post(null)).isInstanceOf(IOException.class);
    assertThat(logs.batches()).isEmpty();
  }
}
