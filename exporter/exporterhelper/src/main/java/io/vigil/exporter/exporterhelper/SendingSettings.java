package io.vigil.exporter.exporterhelper;

import io.vigil.core.config.ConfigException;
import java.time.Duration;

/**
 * The keys every queued, retrying exporter shares: {@code timeout}, {@code sending_queue},
 * {@code retry_on_failure}. Exporter configs extend this class.
 */
public class SendingSettings {
  /** Per attempt. */
  public Duration timeout = Duration.ofSeconds(5);
  public QueueSettings sendingQueue = new QueueSettings();
  public RetrySettings retryOnFailure = new RetrySettings();

  /** Checks the shared keys; key paths are relative to the exporter. */
  public void validateSending() {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new ConfigException("timeout", "must be a positive duration");
    }
    if (sendingQueue.numConsumers < 1) {
      throw new ConfigException("sending_queue::num_consumers", "must be at least 1");
    }
    if (sendingQueue.queueSize < 1) {
      throw new ConfigException("sending_queue::queue_size", "must be at least 1");
    }
    if (sendingQueue.maxItems != null) {
      throw new ConfigException("sending_queue::max_items", "no longer supported; use the"
          + " Collector's spelling: sizer: items with queue_size: " + sendingQueue.maxItems
          + " (queue_size then counts spans, points or log records instead of batches)");
    }
    if (QueueSizer.parse(sendingQueue.sizer) == null) {
      throw new ConfigException("sending_queue::sizer", "unsupported value \""
          + sendingQueue.sizer + "\"; use requests, items or bytes");
    }
    RetrySettings r = retryOnFailure;
    if (r.initialInterval == null || r.initialInterval.isNegative() || r.initialInterval.isZero()) {
      throw new ConfigException("retry_on_failure::initial_interval", "must be positive");
    }
    if (r.maxInterval == null || r.maxInterval.compareTo(r.initialInterval) < 0) {
      throw new ConfigException(
          "retry_on_failure::max_interval", "must be at least initial_interval");
    }
    if (r.multiplier < 1) {
      throw new ConfigException("retry_on_failure::multiplier", "must be at least 1");
    }
    if (r.randomizationFactor < 0 || r.randomizationFactor >= 1) {
      throw new ConfigException("retry_on_failure::randomization_factor", "must be in [0, 1)");
    }
    if (r.maxElapsedTime == null || r.maxElapsedTime.isNegative()) {
      throw new ConfigException("retry_on_failure::max_elapsed_time", "must not be negative");
    }
  }
}
