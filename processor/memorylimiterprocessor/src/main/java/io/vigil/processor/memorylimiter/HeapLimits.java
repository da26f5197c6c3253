package io.vigil.processor.memorylimiter;

/** The soft and hard limits in bytes, resolved from the config and the heap's maximum. */
final class HeapLimits {

  final long hardBytes;
  final long softBytes;

  HeapLimits(long hardBytes, long softBytes) {
    this.hardBytes = hardBytes;
    this.softBytes = softBytes;
  }

  static HeapLimits of(MemoryLimiterConfig c, long maxHeapBytes) {
    long mib = 1L << 20;
    long hard = c.limitMib > 0 ? c.limitMib * mib : maxHeapBytes / 100 * c.limitPercentage;
    long spike;
    if (c.limitMib > 0) {
      spike = c.spikeLimitMib > 0 ? c.spikeLimitMib * mib : hard / 5;
    } else {
      spike = c.spikeLimitPercentage > 0 ? maxHeapBytes / 100 * c.spikeLimitPercentage : hard / 5;
    }
    return new HeapLimits(hard, hard - spike);
  }
}
