package io.vigil.config.tls;

import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.KeyManager;

/**
 * What a server needs to speak TLS, built from its {@link TlsServerSettings}: the identity, the
 * client check for mTLS, and the protocol versions. Start it with the server (reload checks
 * begin) and close it with the server.
 */
public final class ServerTls implements AutoCloseable {

  private final ReloadingTlsMaterial material;
  private final boolean requireClientCertificate;
  private final String[] protocols;

  ServerTls(ReloadingTlsMaterial material, boolean requireClientCertificate, String[] protocols) {
    this.material = material;
    this.requireClientCertificate = requireClientCertificate;
    this.protocols = protocols;
  }

  /** The certificate and key presented, following reloads. */
  public X509ExtendedKeyManager keyManager() {
    return material.keyManager();
  }

  /** Checks client certificates against {@code client_ca_file}; null without mTLS. */
  public X509ExtendedTrustManager clientTrustManager() {
    return material.trustManager();
  }

  /** Mutual TLS: a client without a valid certificate fails the handshake. */
  public boolean requireClientCertificate() {
    return requireClientCertificate;
  }

  /** JSSE protocol names, e.g. {@code TLSv1.2, TLSv1.3}. */
  public String[] protocols() {
    return protocols.clone();
  }

  /** For servers on the JDK's own TLS (SSLServerSocket, HttpsServer). */
  public SSLContext sslContext() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      X509ExtendedTrustManager tm = clientTrustManager();
      ctx.init(new KeyManager[] {keyManager()},
          tm == null ? null : new TrustManager[] {tm}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make a TLS context", e);
    }
  }

  /** The parameters a JDK-TLS server applies: versions and client authentication. */
  public SSLParameters sslParameters(SSLContext ctx) {
    SSLParameters p = ctx.getDefaultSSLParameters();
    p.setProtocols(protocols());
    p.setNeedClientAuth(requireClientCertificate);
    return p;
  }

  public ReloadingTlsMaterial material() {
    return material;
  }

  public void start() {
    material.start();
  }

  @Override
  public void close() {
    material.close();
  }
}
