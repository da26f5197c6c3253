package io.vigil.receiver.fluentforward;

/** Config of the {@code fluentforward} receiver; keys as the collector's, plus a frame limit. */
public class FluentForwardConfig {
  /** TCP listen address. */
  public String endpoint = "0.0.0.0:24224";
  /** Largest forward frame accepted (Vigil's own key); a larger one closes the connection. */
  public int maxFrameSizeMib = 16;
}
