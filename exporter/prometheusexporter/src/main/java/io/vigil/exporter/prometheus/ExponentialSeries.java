package io.vigil.exporter.prometheus;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * An exponential histogram, kept in its own form so deltas with different scales or bucket
 * ranges add up exactly (the finer one is downscaled), and written as a classic histogram whose
 * bucket bounds are the exponential bucket boundaries: no count moves to another bucket.
 */
final class ExponentialSeries extends Series {

  private static final int MAX_EXEMPLARS = 16;

  int scale;
  double zeroThreshold;
  long zeroCount;
  /** Bucket index to count; index i holds (base^i, base^(i+1)]. */
  final TreeMap<Integer, Long> positive = new TreeMap<>();
  /** Bucket index to count; index i holds [-base^(i+1), -base^i). */
  final TreeMap<Integer, Long> negative = new TreeMap<>();
  double sum;
  final Deque<TraceExemplar> exemplars = new ArrayDeque<>();

  ExponentialSeries(ExponentialHistogramDataPoint p) {
    scale = p.getScale();
    add(p);
  }

  /** Adds a delta point, downscaling to the coarser of the two scales first. */
  void add(ExponentialHistogramDataPoint p) {
    int target = Math.min(scale, p.getScale());
    downscale(positive, scale - target);
    downscale(negative, scale - target);
    scale = target;
    addBuckets(positive, p.getPositive(), p.getScale() - target);
    addBuckets(negative, p.getNegative(), p.getScale() - target);
    zeroCount += p.getZeroCount();
    zeroThreshold = Math.max(zeroThreshold, p.getZeroThreshold());
    sum += p.hasSum() ? p.getSum() : 0;
  }

  void offer(TraceExemplar e) {
    if (e == null) {
      return;
    }
    exemplars.addLast(e);
    while (exemplars.size() > MAX_EXEMPLARS) {
      exemplars.removeFirst();
    }
  }

  private static void downscale(TreeMap<Integer, Long> buckets, int by) {
    if (by <= 0) {
      return;
    }
    TreeMap<Integer, Long> copy = new TreeMap<>(buckets);
    buckets.clear();
    // An arithmetic shift floors, which is how a bucket index maps to the coarser scale.
    copy.forEach((i, c) -> buckets.merge(i >> by, c, Long::sum));
  }

  private static void addBuckets(TreeMap<Integer, Long> into, Buckets b, int shift) {
    for (int k = 0; k < b.getBucketCountsCount(); k++) {
      long c = b.getBucketCounts(k);
      if (c != 0) {
        into.merge((b.getOffset() + k) >> shift, c, Long::sum);
      }
    }
  }

  /** base^index with base = 2^(2^-scale): the lower boundary of positive bucket index. */
  private double power(int index) {
    return Math.pow(2.0, Math.scalb((double) index, -scale));
  }

  /** The classic form: upper bounds (last +Inf) and per-bucket counts. */
  HistogramSeries toClassic() {
    int n = negative.size() + 1 + positive.size() + 1;
    double[] bounds = new double[n - 1];
    long[] counts = new long[n];
    int i = 0;
    for (Map.Entry<Integer, Long> e : negative.descendingMap().entrySet()) {
      bounds[i] = -power(e.getKey());
      counts[i++] = e.getValue();
    }
    bounds[i] = zeroThreshold;
    counts[i++] = zeroCount;
    for (Map.Entry<Integer, Long> e : positive.entrySet()) {
      bounds[i] = power(e.getKey() + 1);
      counts[i++] = e.getValue();
    }
    counts[i] = 0;
    HistogramSeries h = new HistogramSeries(bounds, counts, sum);
    exemplars.forEach(h::offer);
    return h;
  }
}
