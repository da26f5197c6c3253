package io.vigil.processor.batch;

import java.time.Duration;

/** Config of the {@code batch} processor; keys as the collector's batchprocessor. */
public class BatchConfig {
  /** Items (spans, metric points, log records) that trigger a send. */
  public int sendBatchSize = 8192;
  /** Largest batch sent; bigger ones are split. 0 = no limit. */
  public int sendBatchMaxSize = 0;
  /** A non-empty batch is sent after this long, whatever its size; 0 = send at once. */
  public Duration timeout = Duration.ofMillis(200);
}
