package io.vigil.exporter.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.config.tls.ClientTls;
import io.vigil.config.tls.TlsClientSettings;
import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.exporter.incidents.internal.IncidentsExporter;
import io.vigil.testing.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code api::tls}: the incidents API (and the chat endpoints mounted on it) over HTTPS and
 * mutual TLS, with certificates made per test and the JDK's HTTP client as the caller.
 */
class IncidentApiTlsTest {

  private static final String TOKEN = "s3cret";
  @TempDir Path dir;
  private TestCertificates.Ca ca;
  private TestCertificates.Issued served;
  private IncidentsExporter exporter;
  private int port;

  private void start(TestCertificates.Ca clientCa) throws Exception {
    ca = TestCertificates.ca(dir, "ca");
    served = ca.server(dir, "incidents");
    IncidentsExporterConfig c = new IncidentsExporterConfig();
    c.directory = dir.resolve("store").toString();
    c.api.endpoint = "127.0.0.1:0";
    c.api.token = TOKEN;
    c.api.tls = new TlsServerSettings();
    c.api.tls.certFile = served.certFile().toString();
    c.api.tls.keyFile = served.keyFile().toString();
    c.api.tls.reloadInterval = Duration.ofMillis(50);
    if (clientCa != null) {
      c.api.tls.clientCaFile = clientCa.certFile().toString();
    }
    new IncidentsExporterFactory().validate(c);
    exporter = (IncidentsExporter) new IncidentsExporterFactory().create(new ComponentSettings(
        ComponentKind.EXPORTER, ComponentId.of("incidents"), new GatewayTelemetry()), c,
        Set.of(Signal.LOGS));
    exporter.start();
    port = exporter.apiPort();
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(2));
    }
  }

  /** GET {@code path} on a new connection, trusting {@code trusted}, presenting {@code id}. */
  private HttpResponse<String> get(TestCertificates.Ca trusted, TestCertificates.Issued id,
      String path) throws IOException, InterruptedException {
    TlsClientSettings s = new TlsClientSettings();
    s.caFile = trusted.certFile().toString();
    if (id != null) {
      s.certFile = id.certFile().toString();
      s.keyFile = id.keyFile().toString();
    }
    try (ClientTls tls = s.load("tls")) {
      SSLContext ctx = tls.sslContext();
      HttpClient http = HttpClient.newBuilder().sslContext(ctx)
          .sslParameters(tls.sslParameters(ctx)).connectTimeout(Duration.ofSeconds(5)).build();
      return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
          .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void servesTheApiOverHttpsAndRefusesPlainHttpAndAnotherCa() throws Exception {
    start(null);
    HttpResponse<String> r = get(ca, null, "/api/incidents");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.sslSession().orElseThrow().getPeerCertificates()[0])
        .isEqualTo(served.certificate());
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + port + "/api/incidents")).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    TestCertificates.Ca stranger = TestCertificates.ca(dir.resolve("stranger"), "stranger");
    assertThatThrownBy(() -> get(stranger, null, "/api/incidents"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void mutualTlsRefusesClientsWithoutACertificateOfTheClientCa() throws Exception {
    TestCertificates.Ca clients = TestCertificates.ca(dir.resolve("clients"), "clients");
    start(clients);
    TestCertificates.Issued ops = clients.client(dir.resolve("clients"), "ops");
    assertThat(get(ca, ops, "/api/incidents").statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> get(ca, null, "/api/incidents")).as("no client certificate")
        .isInstanceOf(IOException.class);
    TestCertificates.Issued other = ca.client(dir, "not-a-client");
    assertThatThrownBy(() -> get(ca, other, "/api/incidents")).as("another CA's certificate")
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> get(ca, null, "/api/chat/messages")).as("chat endpoint too")
        .isInstanceOf(IOException.class);
  }

  @Test
  void theCliTrustsAPrivateCaAndPresentsAClientCertificate() throws Exception {
    TestCertificates.Ca clients = TestCertificates.ca(dir.resolve("clients"), "clients");
    start(clients);
    TestCertificates.Issued ops = clients.client(dir.resolve("clients"), "ops");
    String url = "https://127.0.0.1:" + port;
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code = io.vigil.exporter.incidents.cli.IncidentsCli.run(new java.io.PrintWriter(out),
        new java.io.PrintWriter(err), "list", "--url", url, "--token", TOKEN,
        "--cacert", ca.certFile().toString(), "--cert", ops.certFile().toString(),
        "--key", ops.keyFile().toString());
    assertThat(code).as(err.toString()).isZero();
    // Without the client certificate, the handshake fails and the CLI says it cannot reach it.
    err.getBuffer().setLength(0);
    assertThat(io.vigil.exporter.incidents.cli.IncidentsCli.run(new java.io.PrintWriter(out),
        new java.io.PrintWriter(err), "list", "--url", url, "--token", TOKEN,
        "--cacert", ca.certFile().toString())).isEqualTo(1);
    assertThat(err.toString()).contains("cannot reach");
    // Half a client certificate is a usage error naming the missing option's key.
    err.getBuffer().setLength(0);
    assertThat(io.vigil.exporter.incidents.cli.IncidentsCli.run(new java.io.PrintWriter(out),
        new java.io.PrintWriter(err), "list", "--url", url, "--cert",
        ops.certFile().toString())).isEqualTo(2);
    assertThat(err.toString()).contains("key_file");
  }

  @Test
  void aRotatedCertificateIsServedWithoutARestart() throws Exception {
    start(null);
    TestCertificates.Ca next = TestCertificates.ca(dir.resolve("next"), "next-ca");
    TestCertificates.Issued rotated = next.server(dir.resolve("next"), "incidents");
    assertThatThrownBy(() -> get(next, null, "/api/incidents")).as("not yet")
        .isInstanceOf(IOException.class);
    TestCertificates.replace(rotated, served.certFile(), served.keyFile());
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> get(next, null, "/api/incidents").statusCode() == 200);
    assertThat(get(next, null, "/api/incidents").sslSession().orElseThrow()
        .getPeerCertificates()[0]).isEqualTo(rotated.certificate());
  }
}
