package io.vigil.exporter.prometheus;

import static io.vigil.exporter.prometheus.OtlpMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.PrometheusServer;
import io.vigil.testing.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scrape endpoint over HTTPS with the Collector's {@code tls} keys: a client trusting the CA
 * scrapes, one trusting another CA or speaking plain HTTP cannot; with {@code client_ca_file}
 * only a client with a certificate of that CA scrapes; a certificate replaced on disk is served
 * without a restart; and a real Prometheus scrapes it with {@code tls_config}.
 */
class ScrapeEndpointTlsTest {

  @TempDir Path dir;
  private PrometheusExporter exporter;

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now());
    }
  }

  private String start(TlsServerSettings tls) {
    PrometheusExporterConfig config = new PrometheusExporterConfig();
    config.endpoint = "127.0.0.1:0";
    config.tls = tls;
    new PrometheusExporterFactory().validate(config);
    exporter = new PrometheusExporter(new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("prometheus"), new GatewayTelemetry()), config, Clock.systemUTC());
    try {
      exporter.start();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    long now = System.currentTimeMillis() * 1_000_000L;
    exporter.consumer(Signal.METRICS).consume(request(checkout(), gauge("queue.size", "",
        point(now - SECOND, now, 7.0)))).join();
    return "https://127.0.0.1:" + exporter.address().getPort() + "/metrics";
  }

  private static TlsServerSettings tls(TestCertificates.Issued server) {
    TlsServerSettings t = new TlsServerSettings();
    t.certFile = server.certFile().toString();
    t.keyFile = server.keyFile().toString();
    return t;
  }

  private static HttpResponse<String> scrape(SSLContext ctx, String url)
      throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().sslContext(ctx)
        .connectTimeout(Duration.ofSeconds(20)).build();
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aClientTrustingTheCaScrapesOthersCannot() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    String url = start(tls(ca.server(dir, "server")));

    HttpResponse<String> r = scrape(ca.context(null), url);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("queue_size");

    SSLContext otherCa = TestCertificates.ca(dir, "other").context(null);
    assertThatThrownBy(() -> scrape(otherCa, url)).isInstanceOf(IOException.class);
    String plain = url.replace("https://", "http://");
    assertThatThrownBy(() -> scrape(ca.context(null), plain)).isInstanceOf(IOException.class);
  }

  @Test
  void withClientCaOnlyAClientWithACertificateOfThatCaScrapes() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TestCertificates.Ca clients = TestCertificates.ca(dir, "clients");
    TlsServerSettings tls = tls(ca.server(dir, "server"));
    tls.clientCaFile = clients.certFile().toString();
    String url = start(tls);

    assertThatThrownBy(() -> scrape(ca.context(null), url)).isInstanceOf(IOException.class);
    TestCertificates.Ca stranger = TestCertificates.ca(dir, "stranger");
    SSLContext strangerCert = ca.context(stranger.client(dir, "intruder"));
    assertThatThrownBy(() -> scrape(strangerCert, url)).isInstanceOf(IOException.class);

    SSLContext withCert = ca.context(clients.client(dir, "prometheus"));
    assertThat(scrape(withCert, url).statusCode()).isEqualTo(200);
  }

  @Test
  void aCertificateReplacedOnDiskIsServedWithoutARestart() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TestCertificates.Issued served = ca.server(dir, "server");
    TlsServerSettings tls = tls(served);
    tls.reloadInterval = Duration.ofMillis(100);
    String url = start(tls);
    assertThat(scrape(ca.context(null), url).statusCode()).isEqualTo(200);

    TestCertificates.Ca next = TestCertificates.ca(dir, "next-ca");
    TestCertificates.replace(next.server(dir, "next"), served.certFile(), served.keyFile());
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
        assertThat(scrape(next.context(null), url).statusCode()).isEqualTo(200));
  }

  @Test
  void aRealPrometheusScrapesOverMutualTls() throws Exception {
    Assumptions.assumeTrue(PrometheusServer.binary() != null,
        "skipped: no prometheus binary on PATH (Debian package `prometheus`)");
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TestCertificates.Issued client = ca.client(dir, "prometheus");
    TlsServerSettings tls = tls(ca.server(dir, "server"));
    tls.clientCaFile = ca.certFile().toString();
    String url = start(tls);
    String target = "127.0.0.1:" + exporter.address().getPort();
    try (PrometheusServer prom = PrometheusServer.startScrapingTls(dir, target,
        ca.certFile(), client.certFile(), client.keyFile())) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(prom.value("queue_size")).as(prom.log()).isEqualTo(7.0));
      assertThat(prom.value("up{instance=\"" + target + "\"}")).isEqualTo(1.0);
    }
    assertThat(url).startsWith("https://");
  }
}
