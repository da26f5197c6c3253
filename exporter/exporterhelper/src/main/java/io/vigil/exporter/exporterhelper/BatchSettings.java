package io.vigil.exporter.exporterhelper;

import java.time.Duration;
import java.util.Locale;

/**
 * {@code sending_queue::batch}, the Collector's spelling: consumers take queued requests until
 * they hold {@code min_size} or {@code flush_timeout} passed since the first one, never more
 * than {@code max_size} (0: no upper bound), and send them as one request. Sizes count what
 * {@code sizer} names. Works the same for the in-memory and the durable queue.
 */
public class BatchSettings {
  public Duration flushTimeout = Duration.ofMillis(200);
  /** What makes a batch worth sending before the timeout, in the sizer's unit. */
  public int minSize = 8192;
  /**
   * Upper bound in the sizer's unit; 0 = none. A single queued request above it is split into
   * requests of at most max_size when sent (with the bytes sizer, a single item larger than
   * max_size goes alone).
   */
  public int maxSize = 0;
  /** {@code items} (spans, points, log records; the default) or {@code bytes} (protobuf size). */
  public String sizer = "items";

  /** The parsed {@link #sizer}: true for bytes; call after validation. */
  boolean countsBytes() {
    return "bytes".equals(sizer.toLowerCase(Locale.ROOT));
  }
}
