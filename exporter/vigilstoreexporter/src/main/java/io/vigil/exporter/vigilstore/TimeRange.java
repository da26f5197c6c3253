package io.vigil.exporter.vigilstore;

import java.time.Instant;

/** A half-open time range [from, to) in Unix nanoseconds, cut into equal buckets on demand. */
public record TimeRange(long fromNanos, long toNanos) {

  public TimeRange {
    if (toNanos <= fromNanos) {
      throw new IllegalArgumentException("empty time range: from " + fromNanos + " to " + toNanos);
    }
  }

  public static TimeRange of(Instant from, Instant to) {
    return new TimeRange(nanos(from), nanos(to));
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  public long lengthNanos() {
    return toNanos - fromNanos;
  }

  public double seconds() {
    return lengthNanos() / 1e9;
  }

  public boolean contains(long nanos) {
    return nanos >= fromNanos && nanos < toNanos;
  }

  /** Width of one of {@code buckets} buckets, at least 1 ns. */
  public long bucketNanos(int buckets) {
    return Math.max(1, (lengthNanos() + buckets - 1) / buckets);
  }

  /** The bucket {@code nanos} falls in, or -1 outside the range. */
  public int bucket(long nanos, int buckets) {
    return contains(nanos) ? (int) ((nanos - fromNanos) / bucketNanos(buckets)) : -1;
  }
}
