package io.vigil.kafka;

import io.vigil.core.config.ConfigException;
import java.util.List;

/**
 * {@code auth::sasl}, as the Collector's {@code configkafka.SASLConfig}: a username and password
 * proved with PLAIN (the password itself, so only over TLS) or SCRAM (a salted challenge, the
 * password never sent).
 */
public class SaslSettings {

  /** The mechanisms the Java client does with a username and password alone. */
  static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  public String username = "";
  public String password = "";
  /** {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}. */
  public String mechanism = "";
  /**
   * Accepted for the Collector's configs: Sarama's SASL handshake version (0 or 1). The Java
   * client always uses the current handshake, so it has no effect.
   */
  public int version = 0;

  void validate(String keyPath) {
    if (mechanism == null || mechanism.isEmpty()) {
      throw new ConfigException(keyPath + "::mechanism",
          "required: one of " + String.join(", ", MECHANISMS));
    }
    if (!MECHANISMS.contains(mechanism)) {
      throw new ConfigException(keyPath + "::mechanism", "expected one of "
          + String.join(", ", MECHANISMS) + ", got \"" + mechanism + "\""
          + (mechanism.startsWith("AWS_MSK_IAM") ? " (AWS MSK IAM is not supported)" : ""));
    }
    if (username == null || username.isEmpty()) {
      throw new ConfigException(keyPath + "::username", "required with sasl");
    }
    if (password == null || password.isEmpty()) {
      throw new ConfigException(keyPath + "::password", "required with sasl");
    }
    if (version != 0 && version != 1) {
      throw new ConfigException(keyPath + "::version", "must be 0 or 1, got " + version);
    }
  }

  /** The client's {@code sasl.jaas.config} line for this user. */
  String jaasConfig() {
    String module = mechanism.equals("PLAIN")
        ? "org.apache.kafka.common.security.plain.PlainLoginModule"
        : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return module + " required username=" + quoted(username) + " password=" + quoted(password)
        + ";";
  }

  /** A JAAS string value: Kafka's parser reads backslash escapes inside double quotes. */
  private static String quoted(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
