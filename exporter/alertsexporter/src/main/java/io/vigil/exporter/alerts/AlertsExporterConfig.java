package io.vigil.exporter.alerts;

import io.vigil.config.tls.TlsClientSettings;
import java.time.Duration;

/** Config of the {@code alerts} exporter. */
public class AlertsExporterConfig {
  /** URL that receives each alert as an Alertmanager-style webhook POST; "" = log only. */
  public String webhookUrl = "";
  /** An alert with the same key is not sent again within this time; repeats are counted. */
  public Duration repeatInterval = Duration.ofHours(1);
  /** Timeout of one webhook POST. */
  public Duration timeout = Duration.ofSeconds(5);
  /** POST attempts per alert before it is given up (and logged). */
  public int maxAttempts = 3;
  /**
   * TLS for an {@code https://} webhook: {@code ca_file} for a private CA, {@code cert_file}
   * and {@code key_file} for a receiver that wants a client certificate. Absent: the JVM's
   * trust store, no client certificate.
   */
  public TlsClientSettings tls;
  /** Alert keys remembered for de-duplication; the oldest is forgotten beyond it. */
  public int maxKeys = 10_000;
}
