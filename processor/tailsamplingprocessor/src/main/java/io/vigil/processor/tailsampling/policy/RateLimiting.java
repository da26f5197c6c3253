package io.vigil.processor.tailsampling.policy;

import java.util.function.LongSupplier;

/**
 * {@code rate_limiting}: whole traces while the spans sampled in the current second stay below
 * {@code spans_per_second} (the Collector's rule: strictly below, counted per wall-clock second).
 */
final class RateLimiting implements PolicyEvaluator {

  private final long spansPerSecond;
  private final LongSupplier epochSecond;
  private long second = Long.MIN_VALUE;
  private long spansInSecond;

  RateLimiting(long spansPerSecond, LongSupplier epochSecond) {
    this.spansPerSecond = spansPerSecond;
    this.epochSecond = epochSecond;
  }

  @Override
  public Decision evaluate(BufferedTrace trace) {
    long now = epochSecond.getAsLong();
    if (now != second) {
      second = now;
      spansInSecond = 0;
    }
    long ifSampled = spansInSecond + trace.spanCount();
    if (ifSampled < spansPerSecond) {
      spansInSecond = ifSampled;
      return Decision.SAMPLED;
    }
    return Decision.NOT_SAMPLED;
  }
}
