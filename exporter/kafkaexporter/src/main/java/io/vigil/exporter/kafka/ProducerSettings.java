package io.vigil.exporter.kafka;

import java.time.Duration;

/** {@code producer}: how messages are written, the Collector's keys. */
public class ProducerSettings {
  /** The largest request the producer sends ({@code max.request.size}). */
  public int maxMessageBytes = 1_000_000;
  /**
   * -1 (all in-sync replicas, the default here; the Collector's is 1), 1 (the leader) or 0 (no
   * acknowledgement). Only -1 keeps the producer idempotent.
   */
  public int requiredAcks = -1;
  /** none, gzip, snappy, lz4 or zstd. */
  public String compression = "none";
  public CompressionParams compressionParams = new CompressionParams();
  /**
   * Accepted for the Collector's configs: the Java client bounds a batch in bytes
   * ({@code batch.size}) and time ({@code linger}), not in messages.
   */
  public int flushMaxMessages = 0;
  /** How long the producer waits to fill a batch ({@code linger.ms}). */
  public Duration linger = Duration.ofMillis(10);
  /**
   * Whether the broker may create a missing topic. The Java producer always asks for it and the
   * broker's {@code auto.create.topics.enable} decides, so only true is accepted.
   */
  public boolean allowAutoTopicCreation = true;

  /** {@code producer::compression_params}. */
  public static class CompressionParams {
    /** The codec's level; 0 keeps the codec's default. */
    public int level = 0;
  }
}
