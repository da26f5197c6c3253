package io.vigil.receiver.fluentforward;

/** Config of the {@code fluentforward} receiver; keys as the collector's, plus a frame limit. */
public class FluentForwardConfig {
  /** TCP listen address. */
  public String endpoint = "0.0.0.0:24224";
  /** Largest forward frame accepted (Vigil's own key); a larger one closes the connection. */
  public int maxFrameSizeMib = 16;
  /** {@code security}: the forward protocol's shared-key handshake, as Fluentd's in_forward. */
  public Security security = new Security();
  /** Absent: plaintext. Present: TLS, and mutual TLS with {@code client_ca_file}. */
  @com.fasterxml.jackson.annotation.JsonSetter(
      nulls = com.fasterxml.jackson.annotation.Nulls.AS_EMPTY)
  public io.vigil.config.tls.TlsServerSettings tls;

  /** Shared-key authentication; off while {@code shared_key} is empty. */
  public static class Security {
    /** The key both sides know; clients prove it without sending it. */
    public String sharedKey = "";
    /** The name this server gives in its PONG. */
    public String selfHostname = "vigil-gateway";
  }
}
