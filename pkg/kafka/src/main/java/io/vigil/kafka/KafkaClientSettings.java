package io.vigil.kafka;

import io.vigil.config.tls.TlsClientSettings;
import io.vigil.core.Signal;
import io.vigil.core.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The keys the kafka exporter and receiver share, spelled and defaulted as the Collector's
 * {@code configkafka.ClientConfig} plus the per-signal topics; both component configs extend
 * it. The fields are the config loader's (snake_case keys).
 */
public class KafkaClientSettings {

  /** The Collector's default topic of each signal. */
  public static final Map<Signal<?>, String> DEFAULT_TOPICS = Map.of(
      Signal.TRACES, "otlp_spans",
      Signal.METRICS, "otlp_metrics",
      Signal.LOGS, "otlp_logs");

  public List<String> brokers = new ArrayList<>(List.of("localhost:9092"));
  public String clientId = "otel-collector";
  /**
   * Accepted for the Collector's configs: the Java client negotiates each request's version
   * with the broker, so no protocol version needs to be set.
   */
  public String protocolVersion = "";
  public boolean resolveCanonicalBootstrapServersOnly = false;
  public MetadataSettings metadata = new MetadataSettings();
  /** Deprecated in the Collector: one topic for every signal; overrides the per-signal ones. */
  public String topic;
  /** Deprecated in the Collector: one encoding for every signal; overrides the per-signal ones. */
  public String encoding;
  public SignalTopic traces = new SignalTopic(DEFAULT_TOPICS.get(Signal.TRACES));
  public SignalTopic metrics = new SignalTopic(DEFAULT_TOPICS.get(Signal.METRICS));
  public SignalTopic logs = new SignalTopic(DEFAULT_TOPICS.get(Signal.LOGS));
  /** TLS to the brokers (PEM files, as every Vigil {@code tls}); null = plaintext. */
  public TlsClientSettings tls;
  /** SASL credentials (and the older spelling of {@code tls}); null = anonymous. */
  public KafkaAuthSettings auth;

  /** Checks the shared keys; key paths are relative to the component. */
  public void validateClient() {
    if (brokers == null || brokers.isEmpty()) {
      throw new ConfigException("brokers", "at least one broker (host:port) is required");
    }
    for (int i = 0; i < brokers.size(); i++) {
      String b = brokers.get(i);
      int colon = b == null ? -1 : b.lastIndexOf(':');
      if (colon <= 0 || colon == b.length() - 1
          || !b.substring(colon + 1).chars().allMatch(Character::isDigit)) {
        throw new ConfigException("brokers::" + i, "expected host:port, got \"" + b + "\"");
      }
    }
    if (clientId == null || clientId.isBlank()) {
      throw new ConfigException("client_id", "must not be empty");
    }
    if (metadata == null) {
      throw new ConfigException("metadata", "must be a mapping");
    }
    positive("metadata::refresh_interval", metadata.refreshInterval);
    positive("metadata::retry::backoff", metadata.retry.backoff);
    if (topic != null && topic.isBlank()) {
      throw new ConfigException("topic", "must not be empty");
    }
    if (encoding != null) {
      OtlpEncoding.parse("encoding", encoding);
    }
    for (Signal<?> s : Signal.all()) {
      SignalTopic t = signalTopic(s);
      if (t == null) {
        throw new ConfigException(s.name(), "must be a mapping with topic and encoding");
      }
      if (t.topic == null || t.topic.isBlank()) {
        throw new ConfigException(s.name() + "::topic", "must not be empty");
      }
      OtlpEncoding.parse(s.name() + "::encoding", t.encoding);
    }
    KafkaSecurity.validate(this);
  }

  protected static void positive(String key, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new ConfigException(key, "must be a positive duration");
    }
  }

  /** The {@code traces}, {@code metrics} or {@code logs} block. */
  public SignalTopic signalTopic(Signal<?> signal) {
    return signal == Signal.TRACES ? traces : signal == Signal.METRICS ? metrics : logs;
  }

  /** The topic of {@code signal}: the deprecated top-level {@code topic} wins, as in the Collector. */
  public String topic(Signal<?> signal) {
    return topic != null ? topic : signalTopic(signal).topic;
  }

  /** The encoding of {@code signal}: the deprecated top-level {@code encoding} wins. */
  public OtlpEncoding encoding(Signal<?> signal) {
    return encoding != null ? OtlpEncoding.parse("encoding", encoding)
        : OtlpEncoding.parse(signal.name() + "::encoding", signalTopic(signal).encoding);
  }

  /** The properties every client (producer, consumer) takes from the shared keys. */
  public Properties clientProperties() {
    Properties p = new Properties();
    p.put("bootstrap.servers", String.join(",", brokers));
    p.put("client.id", clientId);
    p.put("client.dns.lookup", resolveCanonicalBootstrapServersOnly
        ? "resolve_canonical_bootstrap_servers_only" : "use_all_dns_ips");
    p.put("metadata.max.age.ms", Long.toString(metadata.refreshInterval.toMillis()));
    p.put("retry.backoff.ms", Long.toString(metadata.retry.backoff.toMillis()));
    KafkaSecurity.apply(this, p);
    return p;
  }
}
