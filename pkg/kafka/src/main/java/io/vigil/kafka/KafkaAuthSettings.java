package io.vigil.kafka;

import io.vigil.config.tls.TlsClientSettings;

/**
 * {@code auth}, as the Collector's {@code configkafka.AuthenticationConfig}: SASL credentials,
 * and the TLS block the Collector has since moved to the client's top-level {@code tls} (both
 * spellings are read; one of them).
 */
public class KafkaAuthSettings {
  /** Username and password; null = no SASL. */
  public SaslSettings sasl;
  /** Deprecated in the Collector in favour of the top-level {@code tls}. */
  public TlsClientSettings tls;
}
