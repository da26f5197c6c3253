package io.vigil.exporter.vigilstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.config.tls.ClientTls;
import io.vigil.config.tls.TlsClientSettings;
import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code console::tls}: the console over HTTPS with certificates made for the test, read by the
 * JDK's HTTP client as a browser would (trusting the CA), and a rotated certificate served
 * without a restart.
 */
class ConsoleTlsTest {

  @TempDir
  Path dir;
  private TestCertificates.Ca ca;
  private TestCertificates.Issued served;
  private VigilStoreExporter exporter;
  private int port;

  @BeforeEach
  void start() throws Exception {
    ca = TestCertificates.ca(dir, "ca");
    served = ca.server(dir, "console");
    VigilStoreExporterConfig config = new VigilStoreExporterConfig();
    config.directory = dir.resolve("store").toString();
    config.console.endpoint = "127.0.0.1:0";
    config.console.token = "s3cret";
    config.console.tls = new TlsServerSettings();
    config.console.tls.certFile = served.certFile().toString();
    config.console.tls.keyFile = served.keyFile().toString();
    config.console.tls.reloadInterval = Duration.ofMillis(50);
    config.validate();
    exporter = new VigilStoreExporter(new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("vigilstore"), new GatewayTelemetry()), config, Clock.systemUTC());
    exporter.start();
    port = exporter.consoleAddress().getPort();
  }

  @AfterEach
  void stop() {
    exporter.shutdown(Instant.now().plusSeconds(5));
  }

  /** GET over HTTPS, trusting only {@code trusted}'s certificate, on a new connection. */
  private HttpResponse<String> get(TestCertificates.Ca trusted, String path, String token)
      throws IOException, InterruptedException {
    TlsClientSettings s = new TlsClientSettings();
    s.caFile = trusted.certFile().toString();
    try (ClientTls tls = s.load("tls")) {
      SSLContext ctx = tls.sslContext();
      HttpClient http = HttpClient.newBuilder().sslContext(ctx)
          .sslParameters(tls.sslParameters(ctx)).connectTimeout(Duration.ofSeconds(5)).build();
      HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
          + path)).timeout(Duration.ofSeconds(10));
      if (token != null) {
        r.header("Authorization", "Bearer " + token);
      }
      return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void servesThePageAndTheApiOverHttpsWithTheToken() throws Exception {
    assertThat(exporter.consoleScheme()).isEqualTo("https");
    HttpResponse<String> page = get(ca, "/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>Vigil console</title>");
    assertThat(get(ca, "/api/services", null).statusCode()).isEqualTo(401);
    HttpResponse<String> api = get(ca, "/api/services", "s3cret");
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.body()).isEqualTo("[]");
    Certificate[] chain = api.sslSession().orElseThrow().getPeerCertificates();
    assertThat(chain[0]).isEqualTo(served.certificate());
  }

  @Test
  void plainHttpAndAnUntrustedCertificateGetNothing() {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + port + "/api/services")).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    TestCertificates.Ca stranger = TestCertificates.ca(dir.resolve("stranger"), "stranger");
    assertThatThrownBy(() -> get(stranger, "/", null)).isInstanceOf(IOException.class);
  }

  @Test
  void aRotatedCertificateIsServedWithoutARestart() throws Exception {
    TestCertificates.Ca next = TestCertificates.ca(dir.resolve("next"), "next-ca");
    TestCertificates.Issued rotated = next.server(dir.resolve("next"), "console");
    assertThatThrownBy(() -> get(next, "/", null)).as("not yet").isInstanceOf(IOException.class);
    TestCertificates.replace(rotated, served.certFile(), served.keyFile());
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> get(next, "/api/services", "s3cret").statusCode() == 200);
    assertThat(get(next, "/", null).sslSession().orElseThrow().getPeerCertificates()[0])
        .isEqualTo(rotated.certificate());
  }
}
