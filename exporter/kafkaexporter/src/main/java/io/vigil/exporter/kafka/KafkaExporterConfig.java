package io.vigil.exporter.kafka;

import io.vigil.core.config.ConfigException;
import io.vigil.exporter.exporterhelper.QueueSettings;
import io.vigil.exporter.exporterhelper.RetrySettings;
import io.vigil.exporter.exporterhelper.SendingSettings;
import io.vigil.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.Set;

/** Config of the {@code kafka} exporter; keys as the Collector's kafkaexporter. */
public class KafkaExporterConfig extends KafkaClientSettings {

  private static final Set<String> COMPRESSIONS = Set.of("none", "gzip", "snappy", "lz4", "zstd");

  /** Per attempt: the producer's delivery timeout for one batch's messages. */
  public Duration timeout = Duration.ofSeconds(5);
  public QueueSettings sendingQueue = new QueueSettings();
  public RetrySettings retryOnFailure = new RetrySettings();
  public ProducerSettings producer = new ProducerSettings();
  /** One message per trace, keyed by the trace ID, so a trace lands in one partition. */
  public boolean partitionTracesById = false;
  /** One message per resource, keyed by a hash of its attributes. */
  public boolean partitionMetricsByResourceAttributes = false;
  public boolean partitionLogsByResourceAttributes = false;
  /** A resource attribute whose value, when present, is the topic (instead of the signal's). */
  public String topicFromAttribute = "";

  /** The exporterhelper's view of {@code timeout}, {@code sending_queue}, {@code retry_on_failure}. */
  public SendingSettings sending() {
    SendingSettings s = new SendingSettings();
    s.timeout = timeout;
    s.sendingQueue = sendingQueue;
    s.retryOnFailure = retryOnFailure;
    return s;
  }

  public void validate() {
    validateClient();
    sending().validateSending();
    ProducerSettings p = producer;
    if (p == null) {
      throw new ConfigException("producer", "must be a mapping");
    }
    if (p.maxMessageBytes < 1) {
      throw new ConfigException("producer::max_message_bytes", "must be positive");
    }
    if (p.requiredAcks != -1 && p.requiredAcks != 0 && p.requiredAcks != 1) {
      throw new ConfigException("producer::required_acks",
          "must be -1 (all in-sync replicas), 1 (the leader) or 0 (none), got " + p.requiredAcks);
    }
    if (!COMPRESSIONS.contains(p.compression)) {
      throw new ConfigException("producer::compression", "unsupported value \"" + p.compression
          + "\"; use none, gzip, snappy, lz4 or zstd");
    }
    if (p.linger == null || p.linger.isNegative()) {
      throw new ConfigException("producer::linger", "must not be negative");
    }
    if (p.linger.compareTo(timeout) >= 0) {
      throw new ConfigException("producer::linger", "must be shorter than timeout " + timeout);
    }
    if (!p.allowAutoTopicCreation) {
      throw new ConfigException("producer::allow_auto_topic_creation", "false is not supported:"
          + " the Java producer always lets the broker's auto.create.topics.enable decide");
    }
    if (p.flushMaxMessages < 0) {
      throw new ConfigException("producer::flush_max_messages", "must not be negative");
    }
  }
}
