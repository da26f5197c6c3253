package io.vigil.exporter.exporterhelper;

import java.time.Duration;

/** {@code retry_on_failure}: exponential backoff with jitter, as the collector's. */
public class RetrySettings {
  public boolean enabled = true;
  public Duration initialInterval = Duration.ofSeconds(5);
  public double randomizationFactor = 0.5;
  public double multiplier = 1.5;
  public Duration maxInterval = Duration.ofSeconds(30);
  /** Give up after this long; 0 retries forever. */
  public Duration maxElapsedTime = Duration.ofSeconds(300);
}
