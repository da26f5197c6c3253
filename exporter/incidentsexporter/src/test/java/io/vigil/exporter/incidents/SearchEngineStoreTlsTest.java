package io.vigil.exporter.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.vigil.config.tls.JdkHttpServers;
import io.vigil.config.tls.TlsClientSettings;
import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.config.ConfigException;
import io.vigil.exporter.incidents.internal.SearchEngineIncidentStore;
import io.vigil.exporter.incidents.internal.StoreConfigs;
import io.vigil.exporter.incidents.internal.StoreException;
import io.vigil.testing.TestCertificates;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code store::tls}: the search-engine store over HTTPS to a cluster with a private CA that
 * asks for client certificates. OpenSearch itself over TLS needs its security plugin, which the
 * in-process runner lacks, so the cluster here is the JDK's HTTPS server answering the index
 * creation the store starts with; what is proven is the TLS, not the search engine.
 */
class SearchEngineStoreTlsTest {

  @TempDir Path dir;
  private TestCertificates.Ca ca;
  private TestCertificates.Ca clients;
  private HttpServer server;
  private final Queue<String> requests = new ConcurrentLinkedQueue<>();
  private URI url;

  @BeforeEach
  void startHttpsCluster() throws Exception {
    ca = TestCertificates.ca(dir, "cluster-ca");
    clients = TestCertificates.ca(dir.resolve("clients"), "client-ca");
    TestCertificates.Issued served = ca.server(dir, "opensearch");
    TlsServerSettings s = new TlsServerSettings();
    s.certFile = served.certFile().toString();
    s.keyFile = served.keyFile().toString();
    s.clientCaFile = clients.certFile().toString();
    server = JdkHttpServers.create(new InetSocketAddress("127.0.0.1", 0), 8, s.load("tls"));
    server.createContext("/", ex -> {
      try (ex) {
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
        byte[] body = "{\"acknowledged\":true}".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
      }
    });
    server.start();
    url = URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private TlsClientSettings tls(TestCertificates.Ca trusted, TestCertificates.Issued id) {
    TlsClientSettings t = new TlsClientSettings();
    t.caFile = trusted.certFile().toString();
    if (id != null) {
      t.certFile = id.certFile().toString();
      t.keyFile = id.keyFile().toString();
    }
    return t;
  }

  private SearchEngineIncidentStore open(TlsClientSettings t) {
    return SearchEngineIncidentStore.open(List.of(url), "vigil-incidents", Duration.ofSeconds(5),
        "", "", t == null ? null : t.load("store::tls"));
  }

  @Test
  void opensOverMutualTlsWithTheCaFileAndAClientCertificate() {
    try (var s = open(tls(ca, clients.client(dir.resolve("clients"), "vigil")))) {
      assertThat(requests).containsExactly("PUT /vigil-incidents",
          "PUT /vigil-incidents-sequence");
    }
  }

  @Test
  void refusedWithoutTheCaFileWithAnotherCaOrWithoutAClientCertificate() {
    assertThatThrownBy(() -> open(null)).as("the JVM's trust store")
        .isInstanceOf(StoreException.class).hasMessageContaining("PKIX");
    TestCertificates.Ca stranger = TestCertificates.ca(dir.resolve("stranger"), "stranger");
    assertThatThrownBy(() -> open(tls(stranger, clients.client(dir.resolve("clients"), "a"))))
        .isInstanceOf(StoreException.class).hasMessageContaining("PKIX");
    assertThatThrownBy(() -> open(tls(ca, null))).as("no client certificate")
        .isInstanceOf(StoreException.class);
    assertThat(requests).isEmpty();
  }

  @Test
  void insecureSkipVerifyTrustsAnyCertificate() {
    TlsClientSettings t = tls(ca, clients.client(dir.resolve("clients"), "vigil"));
    t.caFile = "";
    t.insecureSkipVerify = true;
    try (var s = open(t)) {
      assertThat(requests).hasSize(2);
    }
  }

  @Test
  void aBadTlsBlockNamesTheKey() {
    IncidentsExporterConfig c = new IncidentsExporterConfig();
    c.store.type = "opensearch";
    c.store.endpoints = List.of(url.toString());
    c.store.tls = new TlsClientSettings();
    c.store.tls.certFile = dir.resolve("missing.crt").toString();
    assertThatThrownBy(() -> StoreConfigs.validate(c)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store::tls::key_file");
  }
}
