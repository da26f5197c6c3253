package io.vigil.exporter.incidents.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.vigil.config.tls.TlsClientSettings;
import io.vigil.core.config.ConfigException;
import io.vigil.exporter.incidents.ResponseConfig;
import io.vigil.testing.TestCertificates;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A response action's webhook over HTTPS to an endpoint whose certificate a private CA signed
 * and which asks for a client certificate: called with {@code response::tls}, refused without.
 */
class WebhookCallerTlsTest {

  @TempDir Path dir;
  private HttpsServer server;
  private TestCertificates.Ca ca;
  private final List<String> callers = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startHttpsEndpoint() throws Exception {
    ca = TestCertificates.ca(dir, "ops-ca");
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ca.context(ca.server(dir, "runbook"))) {
      @Override
      public void configure(HttpsParameters p) {
        var params = getSSLContext().getDefaultSSLParameters();
        params.setNeedClientAuth(true);
        p.setSSLParameters(params);
      }
    });
    server.createContext("/fallback", ex -> {
      ex.getRequestBody().readAllBytes();
      X509Certificate peer = (X509Certificate) ((HttpsExchange) ex).getSSLSession()
          .getPeerCertificates()[0];
      callers.add(peer.getSubjectX500Principal().getName());
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private WebhookRequest request() {
    return new WebhookRequest("POST",
        URI.create("https://localhost:" + server.getAddress().getPort() + "/fallback"),
        "{\"by\": \"rule\"}", Duration.ofSeconds(10));
  }

  @Test
  void withThePrivateCaAndAClientCertificateTheCallSucceeds() throws Exception {
    var client = ca.client(dir, "vigil-response");
    TlsClientSettings tls = new TlsClientSettings();
    tls.caFile = ca.certFile().toString();
    tls.certFile = client.certFile().toString();
    tls.keyFile = client.keyFile().toString();
    try (WebhookCaller caller = new WebhookCaller(tls)) {
      WebhookCaller.Result r = caller.call(request());
      assertThat(r.ok()).as(r.outcome()).isTrue();
    }
    assertThat(callers).singleElement().asString().contains("CN=vigil-response");
  }

  @Test
  void withoutTheCaOrTheClientCertificateTheCallFailsAndSaysWhy() throws Exception {
    try (WebhookCaller caller = new WebhookCaller(null)) {
      WebhookCaller.Result r = caller.call(request());
      assertThat(r.ok()).isFalse();
      assertThat(r.outcome()).contains("SSL");
    }
    TlsClientSettings caOnly = new TlsClientSettings();
    caOnly.caFile = ca.certFile().toString();
    try (WebhookCaller caller = new WebhookCaller(caOnly)) {
      assertThat(caller.call(request()).ok()).isFalse();
    }
    assertThat(callers).isEmpty();
  }

  @Test
  void aBadTlsBlockNamesItsKeyPath() {
    ResponseConfig c = new ResponseConfig();
    c.tls = new TlsClientSettings();
    c.tls.keyFile = "/etc/vigil/response.key";
    assertThatThrownBy(() -> ResponseRules.validate(c)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("response::tls::cert_file");
    c.tls = new TlsClientSettings();
    c.tls.serverNameOverride = "runbook.internal";
    assertThatThrownBy(() -> ResponseRules.validate(c)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("response::tls::server_name_override");
  }
}
