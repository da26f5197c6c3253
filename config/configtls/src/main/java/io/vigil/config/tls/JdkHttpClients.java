package io.vigil.config.tls;

import io.vigil.core.config.ConfigException;
import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;

/**
 * A client {@code tls} block on the JDK's {@link HttpClient}, which the exporters that speak
 * HTTP share. That client checks the URL's host name against the server's certificate and has
 * no hook to check another name, so {@code server_name_override} is refused at validation
 * rather than ignored.
 */
public final class JdkHttpClients {

  private JdkHttpClients() {}

  /**
   * Checks {@code tls} (null: no block) at {@code keyPath} as {@link TlsClientSettings#validate}
   * does, and refuses {@code server_name_override}.
   *
   * @param urlKey the key that holds the URL, named in the refusal as where the certificate's
   *     name belongs (e.g. {@code endpoint}, {@code webhook_url})
   */
  public static void validate(TlsClientSettings tls, String keyPath, String urlKey) {
    if (tls == null) {
      return;
    }
    tls.validate(keyPath);
    if (tls.serverNameOverride != null && !tls.serverNameOverride.isEmpty()) {
      throw new ConfigException(keyPath + "::server_name_override",
          "is not supported by this component's HTTP client (the JDK's, which checks the URL's"
              + " host); put the certificate's name in " + urlKey);
    }
  }

  /**
   * Loads {@code tls} (null: the JVM's trust store, no client certificate), starts its reload
   * checks and gives it to {@code builder}. It applies to https:// URLs only: an http:// one
   * stays plaintext whatever the block says.
   *
   * @return what the caller closes when the client is done with, or null without a block
   */
  public static ClientTls configure(HttpClient.Builder builder, TlsClientSettings tls,
      String keyPath) {
    if (tls == null) {
      return null;
    }
    ClientTls loaded = tls.load(keyPath);
    loaded.start();
    use(builder, loaded);
    return loaded;
  }

  /** Gives loaded TLS material to {@code builder}: its key and trust managers follow reloads. */
  public static void use(HttpClient.Builder builder, ClientTls tls) {
    SSLContext ctx = tls.sslContext();
    builder.sslContext(ctx).sslParameters(tls.sslParameters(ctx));
  }
}
