package io.vigil.kafka;

import java.time.Duration;

/** {@code metadata}: how the client keeps its view of the cluster current. */
public class MetadataSettings {
  /**
   * Accepted for the Collector's configs: the Java client always fetches metadata for the
   * topics it uses only.
   */
  public boolean full = true;
  /** How often metadata is refreshed even without an error ({@code metadata.max.age.ms}). */
  public Duration refreshInterval = Duration.ofMinutes(10);
  public Retry retry = new Retry();

  /** {@code metadata::retry}. */
  public static class Retry {
    /** Accepted for the Collector's configs: the Java client retries until its timeouts. */
    public int max = 3;
    /** Wait before retrying a failed request ({@code retry.backoff.ms}). */
    public Duration backoff = Duration.ofMillis(250);
  }
}
