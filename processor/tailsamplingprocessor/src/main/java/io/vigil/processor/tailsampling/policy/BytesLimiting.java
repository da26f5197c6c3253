package io.vigil.processor.tailsampling.policy;

import java.util.function.LongSupplier;

/**
 * {@code bytes_limiting}: a token bucket of serialized bytes, refilled at
 * {@code bytes_per_second} up to {@code burst_capacity}; a trace is sampled when the bucket
 * holds its size, which it then takes.
 */
final class BytesLimiting implements PolicyEvaluator {

  private final long bytesPerSecond;
  private final double capacity;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  BytesLimiting(long bytesPerSecond, long burstCapacity, LongSupplier nanoTime) {
    this.bytesPerSecond = bytesPerSecond;
    this.capacity = burstCapacity > 0 ? burstCapacity : 2.0 * bytesPerSecond;
    this.nanoTime = nanoTime;
    this.tokens = capacity;
    this.last = nanoTime.getAsLong();
  }

  @Override
  public Decision evaluate(BufferedTrace trace) {
    long now = nanoTime.getAsLong();
    // Multiplied before dividing, so whole seconds and tenths refill exact byte counts.
    tokens = Math.min(capacity, tokens + (double) (now - last) * bytesPerSecond / 1e9);
    last = now;
    if (trace.bytes() <= tokens) {
      tokens -= trace.bytes();
      return Decision.SAMPLED;
    }
    return Decision.NOT_SAMPLED;
  }
}
