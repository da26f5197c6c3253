package io.vigil.config.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** What an exporter needs to connect over TLS, built from its {@link TlsClientSettings}. */
public final class ClientTls implements AutoCloseable {

  private final ReloadingTlsMaterial material;
  private final boolean skipVerify;
  private final String serverName;
  private final String[] protocols;

  ClientTls(ReloadingTlsMaterial material, boolean skipVerify, String serverName,
      String[] protocols) {
    this.material = material;
    this.skipVerify = skipVerify;
    this.serverName = serverName;
    this.protocols = protocols;
  }

  /** The client certificate for mTLS, following reloads; null when none is configured. */
  public X509ExtendedKeyManager keyManager() {
    return material.keyManager();
  }

  /**
   * Checks the server's certificate: against {@code ca_file}, or not at all with
   * {@code insecure_skip_verify}; null means the JVM's default trust store.
   */
  public X509ExtendedTrustManager trustManager() {
    return skipVerify ? TrustAll.INSTANCE : material.trustManager();
  }

  /** {@code server_name_override}, or null to use the endpoint's host. */
  public String serverNameOverride() {
    return serverName.isEmpty() ? null : serverName;
  }

  public String[] protocols() {
    return protocols.clone();
  }

  /** For clients on the JDK's own TLS, such as {@code java.net.http.HttpClient}. */
  public SSLContext sslContext() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      X509ExtendedKeyManager km = keyManager();
      X509ExtendedTrustManager tm = trustManager();
      ctx.init(km == null ? null : new KeyManager[] {km},
          tm == null ? null : new TrustManager[] {tm}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make a TLS context", e);
    }
  }

  public SSLParameters sslParameters(SSLContext ctx) {
    SSLParameters p = ctx.getDefaultSSLParameters();
    p.setProtocols(protocols());
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

  /** For {@code insecure_skip_verify}: trusts every server certificate. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    static final TrustAll INSTANCE = new TrustAll();

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
