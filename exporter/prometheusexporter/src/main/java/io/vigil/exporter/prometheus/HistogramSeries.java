package io.vigil.exporter.prometheus;

import java.util.Arrays;

/** An explicit-bucket histogram: finite upper bounds, per-bucket counts (last is +Inf). */
final class HistogramSeries extends Series {
  double[] bounds;
  long[] counts;
  double sum;
  /** The latest exemplar per bucket, so each bucket links to a trace of its own range. */
  TraceExemplar[] exemplars;

  HistogramSeries(double[] bounds, long[] counts, double sum) {
    this.bounds = bounds;
    this.counts = counts;
    this.sum = sum;
    this.exemplars = new TraceExemplar[counts.length];
  }

  boolean sameBuckets(double[] otherBounds) {
    return Arrays.equals(bounds, otherBounds);
  }

  void add(long[] moreCounts, double moreSum) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += moreCounts[i];
    }
    sum += moreSum;
  }

  void offer(TraceExemplar e) {
    if (e != null) {
      exemplars[bucketOf(bounds, e.value())] = e;
    }
  }

  /** Index of the bucket holding {@code value}: the first upper bound at or above it. */
  static int bucketOf(double[] bounds, double value) {
    int i = Arrays.binarySearch(bounds, value);
    return i >= 0 ? i : -i - 1;
  }
}
