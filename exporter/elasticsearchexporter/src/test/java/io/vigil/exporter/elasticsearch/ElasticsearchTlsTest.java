package io.vigil.exporter.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.TestData;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS to an engine whose certificate no public CA signed: with {@code tls::ca_file} naming
 * that certificate the exporter writes; without it the handshake fails. The certificate is
 * made by the JDK's keytool for 127.0.0.1.
 */
class ElasticsearchTlsTest {

  @TempDir
  Path dir;
  private FakeSearchEngine engine;
  private ElasticsearchExporter exporter;
  private Path caPem;

  @BeforeEach
  void startHttpsEngine() throws Exception {
    Path store = dir.resolve("es.p12");
    caPem = dir.resolve("ca.pem");
    keytool("-genkeypair", "-alias", "es", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit",
        "-keypass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", "es", "-keystore", store.toString(),
        "-storepass", "changeit", "-file", caPem.toString());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    engine = new FakeSearchEngine("opensearch", ctx);
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(2));
    }
    engine.close();
  }

  private ElasticsearchExporterConfig config() {
    ElasticsearchExporterConfig c = new ElasticsearchExporterConfig();
    c.endpoint = engine.url();
    // The JDK client's connect timeout covers the TLS handshake too: generous on a loaded machine.
    c.timeout = Duration.ofSeconds(30);
    c.retryOnFailure.initialInterval = Duration.ofMillis(10);
    c.retryOnFailure.maxInterval = Duration.ofMillis(50);
    return c;
  }

  private void start(ElasticsearchExporterConfig c) {
    new ElasticsearchExporterFactory().validate(c);
    exporter = (ElasticsearchExporter) new ElasticsearchExporterFactory().create(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("elasticsearch"),
            new GatewayTelemetry()), c, Set.of(Signal.LOGS));
    exporter.start();
  }

  @Test
  void writesOverHttpsTrustingTheCaFile() throws Exception {
    ElasticsearchExporterConfig c = config();
    c.tls.caFile = caPem.toString();
    start(c);
    exporter.consumer(Signal.LOGS).consume(TestData.logs(3)).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.indexed.size() == 3);
    assertThat(engine.url()).startsWith("https://");
  }

  @Test
  void insecureSkipVerifyWritesToAServerNoCaVouchesFor() throws Exception {
    ElasticsearchExporterConfig c = config();
    c.tls.insecureSkipVerify = true;
    start(c);
    exporter.consumer(Signal.LOGS).consume(TestData.logs(2)).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.indexed.size() == 2);
  }

  @Test
  void refusesTheServerWithoutTheCaFile() {
    SearchEngineHttp http = new SearchEngineHttp(config());
    assertThatThrownBy(() -> http.json("GET", "/", null, Duration.ofSeconds(5)).join())
        .hasCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class)
        .hasMessageContaining("PKIX path building failed");
    assertThat(engine.requests).isEmpty();
  }
}
