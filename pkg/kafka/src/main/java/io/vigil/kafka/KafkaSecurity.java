package io.vigil.kafka;

import io.vigil.config.tls.TlsClientSettings;
import io.vigil.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * Maps {@code tls} and {@code auth::sasl} onto the official client's properties:
 * {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config}, and the
 * client's own PEM support ({@code ssl.truststore.type=PEM}, {@code ssl.keystore.type=PEM}), so
 * the same PEM files as every other Vigil {@code tls} block work without a JKS conversion.
 */
final class KafkaSecurity {

  private KafkaSecurity() {}

  /** The block in effect: {@code tls}, else the deprecated {@code auth::tls}; null = none. */
  static TlsClientSettings tls(KafkaClientSettings c) {
    TlsClientSettings t = c.tls != null ? c.tls : c.auth == null ? null : c.auth.tls;
    return t == null || t.insecure ? null : t;
  }

  private static String tlsKey(KafkaClientSettings c) {
    return c.tls != null ? "tls" : "auth::tls";
  }

  static void validate(KafkaClientSettings c) {
    if (c.tls != null && c.auth != null && c.auth.tls != null) {
      throw new ConfigException("auth::tls",
          "set either tls or auth::tls (the Collector's older spelling), not both");
    }
    if (c.auth != null && c.auth.sasl != null) {
      c.auth.sasl.validate("auth::sasl");
    }
    TlsClientSettings t = tls(c);
    if (t == null) {
      return;
    }
    String key = tlsKey(c);
    t.validate(key);
    // The Java client checks the whole chain with its own trust manager: there is no hook to
    // trust everything, and a half-checked connection is worse than a clear refusal.
    if (t.insecureSkipVerify) {
      throw new ConfigException(key + "::insecure_skip_verify",
          "not supported by the Kafka client; trust the brokers' CA with " + key + "::ca_file");
    }
    if (t.serverNameOverride != null && !t.serverNameOverride.isEmpty()) {
      throw new ConfigException(key + "::server_name_override",
          "not supported by the Kafka client; the broker's advertised host is checked");
    }
    if (t.reloadInterval != null && !t.reloadInterval.equals(Duration.ZERO)) {
      throw new ConfigException(key + "::reload_interval",
          "not supported by the Kafka client, which reads the files once at start");
    }
  }

  /** Adds the security properties to {@code p}; nothing for a plaintext, anonymous client. */
  static void apply(KafkaClientSettings c, Properties p) {
    TlsClientSettings t = tls(c);
    SaslSettings sasl = c.auth == null ? null : c.auth.sasl;
    if (sasl != null) {
      p.put("security.protocol", t == null ? "SASL_PLAINTEXT" : "SASL_SSL");
      p.put("sasl.mechanism", sasl.mechanism);
      p.put("sasl.jaas.config", sasl.jaasConfig());
    } else if (t != null) {
      p.put("security.protocol", "SSL");
    }
    if (t == null) {
      return;
    }
    String key = tlsKey(c);
    String[] protocols = t.protocols(key);
    p.put("ssl.enabled.protocols", String.join(",", protocols));
    p.put("ssl.protocol", protocols[protocols.length - 1]);
    if (!t.caFile.isEmpty()) {
      p.put("ssl.truststore.type", "PEM");
      p.put("ssl.truststore.location", t.caFile);
    }
    if (!t.certFile.isEmpty()) {
      p.put("ssl.keystore.type", "PEM");
      p.put("ssl.keystore.certificate.chain", read(t.certFile, key + "::cert_file"));
      p.put("ssl.keystore.key", read(t.keyFile, key + "::key_file"));
    }
  }

  private static String read(String file, String keyPath) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new ConfigException(keyPath, "cannot read \"" + file + "\": " + e.getMessage());
    }
  }
}
