package io.vigil.exporter.exporterhelper;

/** {@code tls}: client TLS, as the collector's configtls. */
public class TlsSettings {
  /** Plaintext, no TLS at all (gRPC); the collector's spelling. */
  public boolean insecure = false;
  /** Accept any server certificate (testing only). */
  public boolean insecureSkipVerify = false;
  /** PEM file of the CA that signed the server's certificate; empty = system trust store. */
  public String caFile = "";
  /** PEM client certificate and key, for mutual TLS. */
  public String certFile = "";
  public String keyFile = "";
}
