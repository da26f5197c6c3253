package io.vigil.exporter.exporterhelper;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter, the collector's (and Google's) formula. */
final class Backoff {

  private final RetrySettings settings;
  private double current;

  Backoff(RetrySettings settings) {
    this.settings = settings;
    this.current = settings.initialInterval.toNanos();
  }

  /** The next wait: current interval ± randomization, then the interval grows. */
  Duration next() {
    double delta = settings.randomizationFactor * current;
    double min = current - delta;
    double wait = min + ThreadLocalRandom.current().nextDouble() * (2 * delta + 1);
    current = Math.min(current * settings.multiplier, settings.maxInterval.toNanos());
    return Duration.ofNanos((long) wait);
  }
}
