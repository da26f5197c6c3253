package io.vigil.config.tls;

/**
 * The PEM files one {@code tls} block names, and where it sits in the config. {@code caKey} is
 * the key of the trust file: {@code client_ca_file} on a server, {@code ca_file} on a client.
 */
record TlsFiles(String keyPath, String certFile, String keyFile, String caFile, String caKey) {

  String stamp() {
    return PemFiles.stamp(certFile) + "|" + PemFiles.stamp(keyFile) + "|" + PemFiles.stamp(caFile);
  }
}
