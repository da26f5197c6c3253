package io.vigil.config.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key and trust managers over PEM files that follow the files: every {@code reload_interval} the
 * files' modification time and size are compared with the last reading, and on a change they are
 * read again and the managers swapped for new connections. A reading that fails (a half-written
 * file, a key that does not match) is logged and the previous material kept, so a botched rotation
 * never takes the server down.
 */
public final class ReloadingTlsMaterial implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReloadingTlsMaterial.class);

  /** One daemon thread for every TLS block's checks: each check is a few stat calls. */
  private static final ScheduledExecutorService CHECKS =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vigil-tls-reload");
        t.setDaemon(true);
        return t;
      });

  private final TlsFiles files;
  private final Duration interval;
  private final AtomicLong generation = new AtomicLong();
  private final AtomicLong reloads = new AtomicLong();
  private volatile TlsMaterial current;
  private volatile TlsMaterial previous;
  private volatile String stamp;
  private ScheduledFuture<?> task;

  ReloadingTlsMaterial(TlsFiles files, Duration interval) {
    this.files = files;
    this.interval = interval == null ? Duration.ZERO : interval;
    this.stamp = files.stamp();
    this.current = TlsMaterial.load(files, generation.incrementAndGet());
    this.previous = current;
  }

  /** Starts the periodic checks; a zero interval means the files are read once. */
  public synchronized void start() {
    if (task == null && !interval.isZero()) {
      long ms = Math.max(1, interval.toMillis());
      task = CHECKS.scheduleWithFixedDelay(this::reloadIfChanged, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  /** Reads the files again if they changed since the last reading; true when it swapped. */
  public boolean reloadIfChanged() {
    String now = files.stamp();
    if (now.equals(stamp)) {
      return false;
    }
    try {
      TlsMaterial next = TlsMaterial.load(files, generation.incrementAndGet());
      previous = current;
      current = next;
      stamp = now;
      reloads.incrementAndGet();
      LOG.info("{}: reloaded TLS files after they changed on disk", files.keyPath());
      return true;
    } catch (RuntimeException e) {
      // Not recorded as seen: the next check tries again, e.g. once the key is written too.
      LOG.warn("{}: TLS files changed but cannot be used, keeping the previous ones: {}",
          files.keyPath(), e.getMessage());
      return false;
    }
  }

  /** How many times new files were taken into use. */
  public long reloads() {
    return reloads.get();
  }

  /** The certificate chain now served, for logs and tests; null without a certificate. */
  public X509Certificate[] chain() {
    return current.chain;
  }

  /** The identity to present, following reloads; null when no cert_file is set. */
  X509ExtendedKeyManager keyManager() {
    return current.keyManager == null ? null : new FollowingKeyManager();
  }

  /** The peer check against the CA file, following reloads; null when no CA file is set. */
  X509ExtendedTrustManager trustManager() {
    return current.trustManager == null ? null : new FollowingTrustManager();
  }

  /** The reading that stored {@code alias}: the current one or the one just before it. */
  private TlsMaterial byAlias(String alias) {
    TlsMaterial c = current;
    if (c.alias.equals(alias)) {
      return c;
    }
    TlsMaterial p = previous;
    return p.alias.equals(alias) ? p : c;
  }

  private final class FollowingKeyManager extends X509ExtendedKeyManager {
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return current.keyManager.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return current.keyManager.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) {
      return current.keyManager.chooseEngineClientAlias(keyType, issuers, e);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return current.keyManager.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return current.keyManager.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine e) {
      return current.keyManager.chooseEngineServerAlias(keyType, issuers, e);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return byAlias(alias).keyManager.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return byAlias(alias).keyManager.getPrivateKey(alias);
    }
  }

  private final class FollowingTrustManager extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      current.trustManager.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      current.trustManager.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      current.trustManager.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      current.trustManager.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      current.trustManager.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      current.trustManager.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return current.trustManager.getAcceptedIssuers();
    }
  }
}
