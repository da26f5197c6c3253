package io.vigil.exporter.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.vigil.config.tls.TlsClientSettings;
import io.vigil.core.Signal;
import io.vigil.core.component.Exporter;
import io.vigil.core.config.ConfigException;
import io.vigil.testing.TestCertificates;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook over HTTPS to a receiver whose certificate a private CA signed and which asks
 * for a client certificate from the same CA: delivered with {@code tls}, refused without.
 */
class AlertsExporterTlsTest {

  @TempDir Path dir;
  private HttpsServer server;
  private TestCertificates.Ca ca;
  private final List<String> clients = new CopyOnWriteArrayList<>();
  private Exporter exporter;

  @BeforeEach
  void startHttpsReceiver() throws Exception {
    ca = TestCertificates.ca(dir, "alerts-ca");
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ca.context(ca.server(dir, "receiver"))) {
      @Override
      public void configure(HttpsParameters p) {
        var params = getSSLContext().getDefaultSSLParameters();
        params.setNeedClientAuth(true);
        p.setSSLParameters(params);
      }
    });
    server.createContext("/hook", ex -> {
      ex.getRequestBody().readAllBytes();
      var session = ((com.sun.net.httpserver.HttpsExchange) ex).getSSLSession();
      clients.add(((java.security.cert.X509Certificate) session.getPeerCertificates()[0])
          .getSubjectX500Principal().getName());
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(2));
    }
    server.stop(0);
  }

  private Exporter exporter(TlsClientSettings tls) throws Exception {
    AlertsExporterConfig c = new AlertsExporterConfig();
    c.webhookUrl = "https://localhost:" + server.getAddress().getPort() + "/hook";
    c.maxAttempts = 1;
    c.tls = tls;
    exporter = AlertsExporterTest.started(c);
    return exporter;
  }

  private static void alert(Exporter e) throws Exception {
    e.consumer(Signal.LOGS).consume(AlertsExporterTest.batch(
        AlertsExporterTest.anomaly("new_template", "payments", "00000000000000aa"))).get();
  }

  @Test
  void withThePrivateCaAndAClientCertificateTheAlertArrives() throws Exception {
    var client = ca.client(dir, "vigil-gateway");
    TlsClientSettings tls = new TlsClientSettings();
    tls.caFile = ca.certFile().toString();
    tls.certFile = client.certFile().toString();
    tls.keyFile = client.keyFile().toString();
    alert(exporter(tls));
    await().atMost(Duration.ofSeconds(20)).until(() -> clients.size() == 1);
    assertThat(clients.get(0)).contains("CN=vigil-gateway");
  }

  @Test
  void withoutTheCaOrWithoutTheClientCertificateNothingArrives() throws Exception {
    alert(exporter(null));
    // shutdown waits for the POST in flight, so the attempt is over when it returns.
    exporter.shutdown(Instant.now().plusSeconds(20));
    exporter = null;
    TlsClientSettings caOnly = new TlsClientSettings();
    caOnly.caFile = ca.certFile().toString();
    alert(exporter(caOnly));
    exporter.shutdown(Instant.now().plusSeconds(20));
    exporter = null;
    assertThat(clients).isEmpty();
  }

  @Test
  void halfAClientCertificateOrAServerNameOverrideIsAConfigError() {
    AlertsExporterConfig c = new AlertsExporterConfig();
    c.webhookUrl = "https://localhost:1/hook";
    c.tls = new TlsClientSettings();
    c.tls.certFile = "/etc/vigil/client.crt";
    assertThatThrownBy(() -> new AlertsExporterFactory().validate(c))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tls::key_file");
    c.tls = new TlsClientSettings();
    c.tls.serverNameOverride = "alerts.internal";
    assertThatThrownBy(() -> new AlertsExporterFactory().validate(c))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tls::server_name_override");
  }
}
