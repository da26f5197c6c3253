package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.core.config.ConfigException;
import io.vigil.testing.FreePort;
import io.vigil.testing.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin server over HTTPS, configured by YAML alone under
 * {@code service::telemetry::metrics::tls}: a client trusting the CA reads /health and
 * /metrics; plain HTTP and clients of another CA fail; with {@code client_ca_file} only holders
 * of a client certificate get in; a replaced certificate is served without a restart.
 */
class AdminServerTlsTest {

  @TempDir Path dir;

  private static String config(String tls) {
    return String.join("\n",
        "receivers: {otlp: {protocols: {grpc: {endpoint: '" + FreePort.endpoint() + "'}}}}",
        "exporters: {debug: }",
        "service:",
        "  telemetry: {metrics: {address: '127.0.0.1:0', tls: " + tls + "}}",
        "  pipelines: {traces: {receivers: [otlp], exporters: [debug]}}");
  }

  private static String tls(TestCertificates.Issued server, String more) {
    return "{cert_file: '" + server.certFile() + "', key_file: '" + server.keyFile() + "'"
        + more + "}";
  }

  private static HttpResponse<String> get(SSLContext ctx, String url)
      throws IOException, InterruptedException {
    return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(20)).build()
        .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHealthAndMetricsOverHttpsOnly() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    try (Gateway g = Gateway.start(config(tls(ca.server(dir, "admin"), "")),
        Duration.ofSeconds(1))) {
      String base = "https://127.0.0.1:" + g.adminPort();
      assertThat(get(ca.context(null), base + "/health").statusCode()).isEqualTo(200);
      assertThat(get(ca.context(null), base + "/metrics").body()).contains("jvm_memory_used_bytes");

      SSLContext other = TestCertificates.ca(dir, "other").context(null);
      assertThatThrownBy(() -> get(other, base + "/health")).isInstanceOf(IOException.class);
      String plain = "http://127.0.0.1:" + g.adminPort() + "/health";
      assertThatThrownBy(() -> get(ca.context(null), plain)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void withClientCaOnlyAClientCertificateOfThatCaGetsIn() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TestCertificates.Ca clients = TestCertificates.ca(dir, "clients");
    String tls = tls(ca.server(dir, "admin"), ", client_ca_file: '" + clients.certFile() + "'");
    try (Gateway g = Gateway.start(config(tls), Duration.ofSeconds(1))) {
      String health = "https://127.0.0.1:" + g.adminPort() + "/health";
      assertThatThrownBy(() -> get(ca.context(null), health)).isInstanceOf(IOException.class);
      SSLContext stranger = ca.context(TestCertificates.ca(dir, "x").client(dir, "kubelet"));
      assertThatThrownBy(() -> get(stranger, health)).isInstanceOf(IOException.class);
      assertThat(get(ca.context(clients.client(dir, "kubelet")), health).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void aCertificateReplacedOnDiskIsServedWithoutARestart() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TestCertificates.Issued served = ca.server(dir, "admin");
    try (Gateway g = Gateway.start(config(tls(served, ", reload_interval: 100ms")),
        Duration.ofSeconds(1))) {
      String health = "https://127.0.0.1:" + g.adminPort() + "/health";
      assertThat(get(ca.context(null), health).statusCode()).isEqualTo(200);
      TestCertificates.Ca next = TestCertificates.ca(dir, "next");
      TestCertificates.replace(next.server(dir, "next-admin"), served.certFile(),
          served.keyFile());
      await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
          assertThat(get(next.context(null), health).statusCode()).isEqualTo(200));
    }
  }

  @Test
  void aBadTlsBlockIsAConfigErrorNamingTheKey() {
    assertThatThrownBy(() -> Gateway.start(config("{cert_file: '/nonexistent/admin.crt'}"),
        Duration.ofSeconds(1)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("service::telemetry::metrics::tls::key_file");
    assertThatThrownBy(() -> Gateway.start(config("{certfile: x}"), Duration.ofSeconds(1)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("service::telemetry::metrics::tls");
  }
}
