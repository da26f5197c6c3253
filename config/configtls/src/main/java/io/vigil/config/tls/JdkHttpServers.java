package io.vigil.config.tls;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;

/**
 * The JDK's own HTTP server, as HTTPS when a {@code tls} block is set. The context's key and
 * trust managers are the reloading ones, so a certificate replaced on disk is served to the
 * next handshake without restarting the server.
 */
public final class JdkHttpServers {

  private JdkHttpServers() {}

  /**
   * Binds {@code address}; with {@code tls} (null: plain HTTP), starts its reload checks and
   * applies its versions and client-certificate requirement to every connection. The caller
   * closes {@code tls} after stopping the server.
   */
  public static HttpServer create(InetSocketAddress address, int backlog, ServerTls tls)
      throws IOException {
    if (tls == null) {
      return HttpServer.create(address, backlog);
    }
    tls.start();
    SSLContext context = tls.sslContext();
    HttpsServer https = HttpsServer.create(address, backlog);
    https.setHttpsConfigurator(new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        params.setSSLParameters(tls.sslParameters(context));
      }
    });
    return https;
  }
}
