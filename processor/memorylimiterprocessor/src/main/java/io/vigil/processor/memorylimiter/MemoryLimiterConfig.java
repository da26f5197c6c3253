package io.vigil.processor.memorylimiter;

import java.time.Duration;

/** Config of the {@code memory_limiter} processor; keys as the collector's. */
public class MemoryLimiterConfig {
  /** How often heap use is measured (also re-read on traffic when older than a tenth of it). */
  public Duration checkInterval = Duration.ofSeconds(1);
  /** Hard limit on heap in use, MiB; 0 = use limit_percentage. */
  public long limitMib = 0;
  /** Headroom below the hard limit; refusing starts at limit - spike. Default 20% of limit. */
  public long spikeLimitMib = 0;
  /** Hard limit as a percentage of the maximum heap (-Xmx). */
  public int limitPercentage = 0;
  public int spikeLimitPercentage = 0;
}
