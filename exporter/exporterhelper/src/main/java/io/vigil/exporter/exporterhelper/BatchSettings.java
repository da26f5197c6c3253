package io.vigil.exporter.exporterhelper;

import java.time.Duration;

/**
 * {@code sending_queue::batch}, the Collector's spelling: consumers take queued requests until
 * they hold {@code min_size} items or {@code flush_timeout} passed since the first one, never
 * more than {@code max_size} items (0: no upper bound), and send them as one request.
 */
public class BatchSettings {
  public Duration flushTimeout = Duration.ofMillis(200);
  /** Items (spans, points, log records) that make a batch worth sending before the timeout. */
  public int minSize = 8192;
  /** Upper bound in items; 0 = none. A single queued request above it is sent alone, whole. */
  public int maxSize = 0;
}
