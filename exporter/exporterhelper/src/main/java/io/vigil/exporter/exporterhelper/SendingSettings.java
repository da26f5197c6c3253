package io.vigil.exporter.exporterhelper;

import io.vigil.core.component.ComponentId;
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
    validateStorage();
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

  /**
   * {@code storage} (the durable queue) and {@code batch} (either queue). Whether the storage extension
   * runs is checked at start, when the extensions are known ({@code Host.requireExtension}).
   */
  private void validateStorage() {
    QueueSettings q = sendingQueue;
    if (q.storage != null) {
      try {
        ComponentId.parse(q.storage);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("sending_queue::storage", e.getMessage()
            + "; name a file_storage extension, e.g. file_storage or file_storage/queue");
      }
      if (!q.enabled) {
        throw new ConfigException("sending_queue::storage",
            "needs the queue: remove sending_queue::enabled: false or the storage");
      }
      if (QueueSizer.parse(q.sizer) != QueueSizer.REQUESTS) {
        throw new ConfigException("sending_queue::sizer", "only requests (the default) with"
            + " storage: the durable queue counts queued requests against queue_size, and the"
            + " storage's max_disk_bytes bounds its bytes");
      }
      if (q.blockOnOverflow) {
        throw new ConfigException("sending_queue::block_on_overflow", "not supported with"
            + " storage: a full durable queue refuses with a retryable error, so the client"
            + " retries and keeps its copy");
      }
    }
    BatchSettings b = q.batch;
    if (b != null) {
      if (!q.enabled) {
        throw new ConfigException("sending_queue::batch",
            "needs the queue: remove sending_queue::enabled: false or the batch");
      }
      if (b.sizer == null || !(b.sizer.equals("items") || b.sizer.equals("bytes"))) {
        throw new ConfigException("sending_queue::batch::sizer", "unsupported value \""
            + b.sizer + "\"; use items or bytes");
      }
      if (b.flushTimeout == null || b.flushTimeout.isNegative() || b.flushTimeout.isZero()) {
        throw new ConfigException("sending_queue::batch::flush_timeout",
            "must be a positive duration");
      }
      if (b.minSize < 0) {
        throw new ConfigException("sending_queue::batch::min_size", "must not be negative");
      }
      if (b.maxSize < 0 || (b.maxSize > 0 && b.maxSize < b.minSize)) {
        throw new ConfigException("sending_queue::batch::max_size",
            "must be 0 (no limit) or at least min_size " + b.minSize);
      }
    }
  }
}
