package io.vigil.config.tls;

import io.vigil.core.config.ConfigException;
import java.time.Duration;

/**
 * A server's {@code tls} block, keys as the Collector's {@code configtls.ServerConfig}. Present
 * means TLS is on; {@code client_ca_file} turns on mutual TLS (a client without a certificate
 * signed by it is refused in the handshake).
 */
public class TlsServerSettings {
  /** PEM certificate chain the server presents, leaf first. */
  public String certFile = "";
  /** PEM PKCS#8 private key of that certificate (RSA or EC). */
  public String keyFile = "";
  /** PEM CA bundle client certificates must chain to; set = clients must present one. */
  public String clientCaFile = "";
  /**
   * Accepted for configs written for the Collector, where a server's {@code ca_file} feeds a root
   * pool that no server handshake consults; it is checked for readability and otherwise unused.
   */
  public String caFile = "";
  /** Lowest TLS version accepted: 1.0, 1.1, 1.2 (default) or 1.3. */
  public String minVersion = "";
  /** Highest TLS version accepted; default 1.3. */
  public String maxVersion = "";
  /** How often the files are checked for changes; 0 (default) reads them once. */
  public Duration reloadInterval = Duration.ZERO;

  /**
   * Checks the block at {@code keyPath} (e.g. {@code protocols::grpc::tls}), reading the files
   * once so a missing file or a bad PEM is a config error, not a failed start.
   */
  public void validate(String keyPath) {
    if (certFile.isEmpty()) {
      throw new ConfigException(keyPath + "::cert_file", "required when tls is set");
    }
    if (keyFile.isEmpty()) {
      throw new ConfigException(keyPath + "::key_file", "required when tls is set");
    }
    protocols(keyPath);
    if (reloadInterval != null && reloadInterval.isNegative()) {
      throw new ConfigException(keyPath + "::reload_interval", "must not be negative");
    }
    if (!caFile.isEmpty()) {
      PemFiles.certificates(caFile, keyPath + "::ca_file");
    }
    TlsMaterial.load(files(keyPath), 0);
  }

  /** Loads the files for a server about to start. */
  public ServerTls load(String keyPath) {
    return new ServerTls(new ReloadingTlsMaterial(files(keyPath), reloadInterval),
        !clientCaFile.isEmpty(), protocols(keyPath));
  }

  String[] protocols(String keyPath) {
    return TlsVersion.range(
        TlsVersion.parse(minVersion, TlsVersion.TLS_1_2, keyPath + "::min_version"),
        TlsVersion.parse(maxVersion, TlsVersion.TLS_1_3, keyPath + "::max_version"),
        keyPath);
  }

  private TlsFiles files(String keyPath) {
    return new TlsFiles(keyPath, certFile, keyFile, clientCaFile, "client_ca_file");
  }
}
