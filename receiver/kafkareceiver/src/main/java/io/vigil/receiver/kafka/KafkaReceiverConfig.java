package io.vigil.receiver.kafka;

import io.vigil.core.config.ConfigException;
import io.vigil.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.Map;

/** Config of the {@code kafka} receiver; keys as the Collector's kafkareceiver. */
public class KafkaReceiverConfig extends KafkaClientSettings {

  /** The Collector's strategy names and the Java client's assignors. */
  static final Map<String, String> ASSIGNORS = Map.of(
      "range", "org.apache.kafka.clients.consumer.RangeAssignor",
      "roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor",
      "sticky", "org.apache.kafka.clients.consumer.StickyAssignor",
      "cooperative-sticky", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");

  public String groupId = "otel-collector";
  /** Static membership ({@code group.instance.id}): a restart within the session keeps the partitions. */
  public String groupInstanceId = "";
  /** Where a group without a committed offset starts: latest or earliest. */
  public String initialOffset = "latest";
  public Duration sessionTimeout = Duration.ofSeconds(10);
  public Duration heartbeatInterval = Duration.ofSeconds(3);
  public String groupRebalanceStrategy = "range";
  public int minFetchSize = 1;
  public int defaultFetchSize = 1_048_576;
  /** 0: the client's default (50 MiB). */
  public int maxFetchSize = 0;
  public Duration maxFetchWait = Duration.ofMillis(250);
  public Autocommit autocommit = new Autocommit();
  public MessageMarking messageMarking = new MessageMarking();
  public ErrorBackoff errorBackoff = new ErrorBackoff();
  /**
   * How long the receiver waits for the pipeline's answer to one poll's messages; what is not
   * answered by then is read again (not committed). Vigil's key.
   */
  public Duration pipelineTimeout = Duration.ofSeconds(60);

  /** {@code autocommit}: how often marked offsets are committed. */
  public static class Autocommit {
    /** True: commit marked offsets every {@code interval}; false: after every poll's messages. */
    public boolean enable = true;
    public Duration interval = Duration.ofSeconds(1);
  }

  /**
   * {@code message_marking}: when a message counts as done, so its offset may be committed.
   * Vigil's default is {@code after: true} (the Collector's is false): a message is marked only
   * once the pipeline accepted it, so a crash or a refusal re-reads it instead of losing it.
   */
  public static class MessageMarking {
    /** True: mark after the pipeline accepted; false: mark on receipt (at most once). */
    public boolean after = true;
    /** True: also mark a message the pipeline refused (it is dropped, not read again). */
    public boolean onError = false;
    /**
     * True: mark a message the pipeline refused permanently (bad data: reading it again cannot
     * help). Null: as {@code on_error}.
     */
    public Boolean onPermanentError;
  }

  /** {@code error_backoff}: the pause of a partition whose messages the pipeline refused. */
  public static class ErrorBackoff {
    /**
     * False: pause 100 ms after a refusal, doubling up to 2 s. True: the keys below. A refused
     * partition always pauses; only the schedule is configurable.
     */
    public boolean enabled = false;
    public Duration initialInterval = Duration.ofMillis(500);
    public Duration maxInterval = Duration.ofSeconds(5);
    public double multiplier = 1.5;
    public double randomizationFactor = 0.5;
    /** Accepted for the Collector's configs: a refused message is retried until accepted. */
    public Duration maxElapsedTime = Duration.ZERO;
  }

  boolean markOnPermanentError() {
    return messageMarking.onPermanentError != null ? messageMarking.onPermanentError
        : messageMarking.onError;
  }

  public void validate() {
    validateClient();
    if (groupId == null || groupId.isBlank()) {
      throw new ConfigException("group_id", "must not be empty");
    }
    if (!initialOffset.equals("latest") && !initialOffset.equals("earliest")) {
      throw new ConfigException("initial_offset",
          "unsupported value \"" + initialOffset + "\"; use latest or earliest");
    }
    positive("session_timeout", sessionTimeout);
    positive("heartbeat_interval", heartbeatInterval);
    if (heartbeatInterval.compareTo(sessionTimeout) >= 0) {
      throw new ConfigException("heartbeat_interval",
          "must be shorter than session_timeout " + sessionTimeout);
    }
    if (!ASSIGNORS.containsKey(groupRebalanceStrategy)) {
      throw new ConfigException("group_rebalance_strategy", "unsupported value \""
          + groupRebalanceStrategy + "\"; use range, roundrobin, sticky or cooperative-sticky");
    }
    if (minFetchSize < 1) {
      throw new ConfigException("min_fetch_size", "must be at least 1");
    }
    if (defaultFetchSize < 1) {
      throw new ConfigException("default_fetch_size", "must be at least 1");
    }
    if (maxFetchSize < 0) {
      throw new ConfigException("max_fetch_size", "must not be negative (0: the client's default)");
    }
    if (maxFetchWait == null || maxFetchWait.isNegative()) {
      throw new ConfigException("max_fetch_wait", "must not be negative");
    }
    positive("autocommit::interval", autocommit.interval);
    positive("pipeline_timeout", pipelineTimeout);
    positive("error_backoff::initial_interval", errorBackoff.initialInterval);
    if (errorBackoff.maxInterval == null
        || errorBackoff.maxInterval.compareTo(errorBackoff.initialInterval) < 0) {
      throw new ConfigException("error_backoff::max_interval", "must be at least initial_interval");
    }
    if (errorBackoff.multiplier < 1) {
      throw new ConfigException("error_backoff::multiplier", "must be at least 1");
    }
    if (errorBackoff.randomizationFactor < 0 || errorBackoff.randomizationFactor >= 1) {
      throw new ConfigException("error_backoff::randomization_factor", "must be in [0, 1)");
    }
  }
}
