package io.vigil.exporter.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.config.ConfigException;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.TestCertificates;
import io.vigil.testing.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client certificates ({@code tls::cert_file}, {@code tls::key_file}) against an engine that
 * requires one: with a certificate of the CA the engine trusts, documents are indexed; without
 * one, or with one of another CA, the handshake fails and nothing reaches the engine.
 */
class ElasticsearchMutualTlsTest {

  @TempDir Path dir;
  private TestCertificates.Ca ca;
  private FakeSearchEngine engine;
  private ElasticsearchExporter exporter;

  @BeforeEach
  void startEngineRequiringClientCertificates() throws Exception {
    ca = TestCertificates.ca(dir, "ca");
    engine = new FakeSearchEngine("opensearch", ca.context(ca.server(dir, "engine")), true);
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(2));
    }
    engine.close();
  }

  private ElasticsearchExporterConfig config(TestCertificates.Issued client) {
    ElasticsearchExporterConfig c = new ElasticsearchExporterConfig();
    c.endpoint = engine.url();
    c.timeout = Duration.ofSeconds(5);
    c.tls.caFile = ca.certFile().toString();
    if (client != null) {
      c.tls.certFile = client.certFile().toString();
      c.tls.keyFile = client.keyFile().toString();
    }
    new ElasticsearchExporterFactory().validate(c);
    return c;
  }

  @Test
  void indexesWithAClientCertificateOfTheTrustedCa() throws Exception {
    ElasticsearchExporterConfig c = config(ca.client(dir, "vigil"));
    exporter = (ElasticsearchExporter) new ElasticsearchExporterFactory().create(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("elasticsearch"),
            new GatewayTelemetry()), c, Set.of(Signal.LOGS));
    exporter.start();
    exporter.consumer(Signal.LOGS).consume(TestData.logs(3)).get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.indexed.size() == 3);
  }

  @Test
  void withoutACertificateOrWithOneOfAnotherCaTheHandshakeFails() {
    SearchEngineHttp none = new SearchEngineHttp(config(null));
    // TLS 1.3: the engine refuses after the client's Finished, so the client sees the
    // connection close (EOF) rather than a handshake alert.
    assertThatThrownBy(() -> none.json("GET", "/", null, Duration.ofSeconds(5)).join())
        .isInstanceOf(java.util.concurrent.CompletionException.class);
    none.close();

    TestCertificates.Issued stranger = TestCertificates.ca(dir, "other").client(dir, "intruder");
    SearchEngineHttp other = new SearchEngineHttp(config(stranger));
    assertThatThrownBy(() -> other.json("GET", "/", null, Duration.ofSeconds(5)).join())
        .isInstanceOf(java.util.concurrent.CompletionException.class);
    other.close();
    assertThat(engine.requests).isEmpty();
  }

  @Test
  void aCertificateWithoutItsKeyIsAConfigError() {
    ElasticsearchExporterConfig c = new ElasticsearchExporterConfig();
    c.endpoint = engine.url();
    c.tls.certFile = ca.client(dir, "half").certFile().toString();
    assertThatThrownBy(() -> new ElasticsearchExporterFactory().validate(c))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tls::key_file");
  }
}
