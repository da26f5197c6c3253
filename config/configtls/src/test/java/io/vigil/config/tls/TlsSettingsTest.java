package io.vigil.config.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.core.config.ConfigException;
import io.vigil.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSettingsTest {

  @TempDir Path dir;

  /** A server block serving {@code id}; other tests of the package start from it too. */
  static TlsServerSettings server(TestCertificates.Issued id) {
    TlsServerSettings s = new TlsServerSettings();
    s.certFile = id.certFile().toString();
    s.keyFile = id.keyFile().toString();
    return s;
  }

  @Test
  void missingCertFileIsNamedWithItsKeyPath() {
    TlsServerSettings s = new TlsServerSettings();
    s.certFile = dir.resolve("nope.crt").toString();
    s.keyFile = dir.resolve("nope.key").toString();
    assertThatThrownBy(() -> s.validate("protocols::grpc::tls"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("protocols::grpc::tls::cert_file: no such file \"" + s.certFile + "\"");
  }

  @Test
  void serverTlsWithoutCertificateIsRefused() {
    assertThatThrownBy(() -> new TlsServerSettings().validate("tls"))
        .hasMessage("tls::cert_file: required when tls is set");
  }

  @Test
  void pkcs1KeyGetsTheConversionCommand() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TlsServerSettings s = server(ca.server(dir, "server"));
    Path rsa = dir.resolve("rsa.key");
    Files.writeString(rsa, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    s.keyFile = rsa.toString();
    assertThatThrownBy(() -> s.validate("tls"))
        .hasMessageStartingWith("tls::key_file: \"" + rsa + "\" is a PKCS#1/SEC1 key")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void certificateFileHoldingGarbageIsRefused() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TlsServerSettings s = server(ca.server(dir, "server"));
    s.clientCaFile = Files.writeString(dir.resolve("ca.txt"), "not a certificate").toString();
    assertThatThrownBy(() -> s.validate("tls"))
        .hasMessageStartingWith("tls::client_ca_file: ");
  }

  @Test
  void keyOfAnotherCertificateTypeIsRefused() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TlsServerSettings s = server(ca.server(dir, "server"));
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
            .encodeToString(g.generateKeyPair().getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    s.keyFile = Files.writeString(dir.resolve("rsa8.key"), pem).toString();
    assertThatThrownBy(() -> s.validate("tls"))
        .hasMessageStartingWith("tls::key_file: is a RSA key but the certificate");
  }

  @Test
  void versionsAreParsedAndOrdered() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TlsServerSettings s = server(ca.server(dir, "server"));
    s.minVersion = "1.3";
    assertThat(s.protocols("tls")).containsExactly("TLSv1.3");
    s.maxVersion = "1.2";
    assertThatThrownBy(() -> s.validate("tls"))
        .hasMessage("tls::max_version: is below min_version (1.3)");
    s.maxVersion = "1.4";
    assertThatThrownBy(() -> s.validate("tls"))
        .hasMessageStartingWith("tls::max_version: unsupported TLS version \"1.4\"");
  }

  @Test
  void clientKeyWithoutCertificateIsRefused() {
    TlsClientSettings c = new TlsClientSettings();
    c.keyFile = "client.key";
    assertThatThrownBy(() -> c.validate("tls"))
        .hasMessage("tls::cert_file: required when key_file is set");
  }

  @Test
  void rotatedCertificateIsServedAfterTheReloadInterval() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TestCertificates.Issued first = ca.server(dir, "server");
    TlsServerSettings s = server(first);
    s.reloadInterval = Duration.ofMillis(50);
    try (ServerTls tls = s.load("tls")) {
      tls.start();
      var km = tls.keyManager();
      String alias = km.chooseServerAlias("EC", null, null);
      assertThat(km.getCertificateChain(alias)[0]).isEqualTo(first.certificate());

      TestCertificates.Issued second = ca.server(dir.resolve("next"), "server");
      TestCertificates.replace(second, first.certFile(), first.keyFile());
      await().atMost(Duration.ofSeconds(5)).until(() -> tls.material().reloads() > 0);
      String now = km.chooseServerAlias("EC", null, null);
      assertThat(km.getCertificateChain(now)[0]).isEqualTo(second.certificate());
      assertThat(km.getPrivateKey(now)).isEqualTo(second.key());
      // A handshake that chose its alias before the swap still gets a matching pair.
      assertThat(km.getCertificateChain(alias)[0]).isEqualTo(first.certificate());
      assertThat(km.getPrivateKey(alias)).isEqualTo(first.key());
    }
  }

  @Test
  void halfWrittenRotationKeepsThePreviousIdentity() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TestCertificates.Issued first = ca.server(dir, "server");
    try (ServerTls tls = server(first).load("tls")) {
      Files.writeString(first.certFile(), "-----BEGIN CERTIFICATE-----\ntrunc");
      assertThat(tls.material().reloadIfChanged()).isFalse();
      assertThat(tls.material().chain()[0]).isEqualTo(first.certificate());
      TestCertificates.Issued second = ca.server(dir.resolve("next"), "server");
      TestCertificates.replace(second, first.certFile(), first.keyFile());
      assertThat(tls.material().reloadIfChanged()).isTrue();
      assertThat(tls.material().chain()[0]).isEqualTo(second.certificate());
    }
  }
}
