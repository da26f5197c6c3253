package io.vigil.config.tls;

import io.vigil.core.config.ConfigException;
import java.time.Duration;

/**
 * A client's {@code tls} block, keys as the Collector's {@code configtls.ClientConfig}: which
 * servers to trust ({@code ca_file}, else the system's trust store) and the client certificate
 * for mutual TLS.
 */
public class TlsClientSettings {
  /** Plaintext, no TLS at all (gRPC); the Collector's spelling. */
  public boolean insecure = false;
  /** PEM CA bundle the server's certificate must chain to; empty = the JVM's trust store. */
  public String caFile = "";
  /** PEM client certificate and PKCS#8 key, for mutual TLS. */
  public String certFile = "";
  public String keyFile = "";
  /** Accept any server certificate, unchecked: testing only. */
  public boolean insecureSkipVerify = false;
  /** The name expected in the server's certificate (and sent as SNI) instead of the host's. */
  public String serverNameOverride = "";
  /** Lowest TLS version offered: 1.0, 1.1, 1.2 (default) or 1.3. */
  public String minVersion = "";
  /** Highest TLS version offered; default 1.3. */
  public String maxVersion = "";
  /** How often the files are checked for changes; 0 (default) reads them once. */
  public Duration reloadInterval = Duration.ZERO;

  /** Checks the block at {@code keyPath}, reading the files it names once. */
  public void validate(String keyPath) {
    if (!certFile.isEmpty() && keyFile.isEmpty()) {
      throw new ConfigException(keyPath + "::key_file", "required when cert_file is set");
    }
    if (certFile.isEmpty() && !keyFile.isEmpty()) {
      throw new ConfigException(keyPath + "::cert_file", "required when key_file is set");
    }
    if (reloadInterval != null && reloadInterval.isNegative()) {
      throw new ConfigException(keyPath + "::reload_interval", "must not be negative");
    }
    protocols(keyPath);
    TlsMaterial.load(files(keyPath), 0);
  }

  /** Loads the files for a client about to connect. */
  public ClientTls load(String keyPath) {
    return new ClientTls(new ReloadingTlsMaterial(files(keyPath), reloadInterval),
        insecureSkipVerify, serverNameOverride, protocols(keyPath));
  }

  /** The JSSE protocol names of {@code min_version}..{@code max_version}, lowest first. */
  public String[] protocols(String keyPath) {
    return TlsVersion.range(
        TlsVersion.parse(minVersion, TlsVersion.TLS_1_2, keyPath + "::min_version"),
        TlsVersion.parse(maxVersion, TlsVersion.TLS_1_3, keyPath + "::max_version"),
        keyPath);
  }

  private TlsFiles files(String keyPath) {
    return new TlsFiles(keyPath, certFile, keyFile, caFile, "ca_file");
  }
}
