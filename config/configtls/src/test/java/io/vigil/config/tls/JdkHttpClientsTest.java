package io.vigil.config.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.vigil.core.config.ConfigException;
import io.vigil.testing.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK HTTP client wiring the HTTP exporters share, against a JDK HTTPS server that asks for
 * a client certificate of its own CA (mutual TLS).
 */
class JdkHttpClientsTest {

  @TempDir Path dir;

  private TestCertificates.Ca ca;
  private ServerTls serverTls;
  private HttpServer server;

  @BeforeEach
  void serveHttpsWithMutualTls() throws IOException {
    ca = TestCertificates.ca(dir, "ca");
    TlsServerSettings s = TlsSettingsTest.server(ca.server(dir, "localhost"));
    s.clientCaFile = ca.certFile().toString();
    serverTls = s.load("tls");
    server = JdkHttpServers.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0, serverTls);
    server.createContext("/", exchange -> {
      byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    serverTls.close();
  }

  private TlsClientSettings client(boolean withCertificate) throws IOException {
    TlsClientSettings c = new TlsClientSettings();
    c.caFile = ca.certFile().toString();
    if (withCertificate) {
      TestCertificates.Issued id = ca.client(dir, "exporter");
      c.certFile = id.certFile().toString();
      c.keyFile = id.keyFile().toString();
    }
    return c;
  }

  private HttpResponse<String> get(HttpClient http) throws IOException, InterruptedException {
    URI uri = URI.create("https://localhost:" + server.getAddress().getPort() + "/");
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aClientCertificateAndTheCaReachAServerRequiringBoth() throws Exception {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    try (ClientTls tls = JdkHttpClients.configure(b, client(true), "tls")) {
      assertThat(get(b.build()).body()).isEqualTo("ok");
    }
  }

  @Test
  void withoutTheClientCertificateTheHandshakeIsRefused() throws Exception {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    try (ClientTls tls = JdkHttpClients.configure(b, client(false), "tls")) {
      HttpClient http = b.build();
      assertThatThrownBy(() -> get(http)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void withoutABlockTheJvmTrustStoreRefusesAPrivateCa() {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    assertThat(JdkHttpClients.configure(b, null, "tls")).isNull();
    HttpClient http = b.build();
    assertThatThrownBy(() -> get(http)).isInstanceOf(IOException.class);
  }

  @Test
  void serverNameOverrideIsRefusedNamingTheKeyAndWhereTheNameGoes() throws Exception {
    TlsClientSettings c = client(false);
    c.serverNameOverride = "backend.internal";
    assertThatThrownBy(() -> JdkHttpClients.validate(c, "store::tls", "the endpoint URL"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store::tls::server_name_override: is not supported")
        .hasMessageEndingWith("put the certificate's name in the endpoint URL");
  }

  @Test
  void aBlockIsValidatedAsTheSettingsDo() {
    TlsClientSettings c = new TlsClientSettings();
    c.certFile = dir.resolve("client.crt").toString();
    assertThatThrownBy(() -> JdkHttpClients.validate(c, "response::tls", "url"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("response::tls::key_file: required when cert_file is set");
    JdkHttpClients.validate(null, "tls", "url");
  }
}
