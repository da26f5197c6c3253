package io.vigil.analysis.anomaly;

import java.util.Arrays;

/**
 * How surprising a value is among the last {@code capacity} values of a stream, as
 * {@code -log10} of its tail probability. Inside the bulk the probability is the empirical share
 * of past values at or above it; beyond the top {@code tailFraction} a generalised Pareto
 * distribution fitted to the excesses (peaks over threshold, method of moments) extrapolates,
 * so a value past everything seen still gets a finite, comparable probability. That makes the
 * result comparable between streams of any scale, which a rank of a few thousand values is not:
 * a rank reaches its top every few thousand points on pure noise.
 */
final class TailSurprise {

  /** The smallest probability reported; a value beyond a tail of identical values gets it. */
  static final double FLOOR = 1e-12;
  private static final int MIN_VALUES = 50;
  private static final int MIN_TAIL = 5;

  private final int capacity;
  /** Grown as values come, so the many young series of a gateway hold little. */
  private double[] arrival;
  private double[] sorted;
  private final double tailFraction;
  private int count;
  private int next;

  TailSurprise(int capacity, double tailFraction) {
    this.capacity = capacity;
    this.arrival = new double[Math.min(64, capacity)];
    this.sorted = new double[arrival.length];
    this.tailFraction = tailFraction;
  }

  /** {@code -log10 p} of {@code x} against the values added so far; 0 until 50 are held. */
  double surprise(double x) {
    if (count < MIN_VALUES) {
      return 0;
    }
    int tail = Math.max(MIN_TAIL, (int) Math.round(tailFraction * count));
    double threshold = sorted[count - tail - 1];
    if (x <= threshold) {
      int atOrAbove = count - lowerBound(x);
      return -Math.log10(Math.max(atOrAbove, 1) / (double) count);
    }
    double p = tail / (double) count * paretoSurvival(x - threshold, tail, threshold);
    return -Math.log10(Math.max(p, FLOOR));
  }

  void add(double x) {
    if (count == arrival.length && count < capacity) {
      // Not yet full, so arrival order is index order and next == count.
      int grown = Math.min(capacity, 2 * count);
      arrival = Arrays.copyOf(arrival, grown);
      sorted = Arrays.copyOf(sorted, grown);
    }
    if (count == capacity) {
      double oldest = arrival[next];
      int at = lowerBound(oldest);
      System.arraycopy(sorted, at + 1, sorted, at, count - at - 1);
      count--;
    }
    int at = lowerBound(x);
    System.arraycopy(sorted, at, sorted, at + 1, count - at);
    sorted[at] = x;
    count++;
    arrival[next] = x;
    next = (next + 1) % capacity;
  }

  /** P(excess > y) under the Pareto distribution fitted to the top {@code tail} excesses. */
  private double paretoSurvival(double y, int tail, double threshold) {
    double mean = 0;
    for (int i = count - tail; i < count; i++) {
      mean += sorted[i] - threshold;
    }
    mean /= tail;
    double var = 0;
    for (int i = count - tail; i < count; i++) {
      double e = sorted[i] - threshold - mean;
      var += e * e;
    }
    var /= tail - 1;
    if (mean <= 0) {
      return FLOOR; // every tail value equals the threshold: anything beyond is unseen
    }
    if (var <= 0) {
      return Math.exp(-y / mean);
    }
    double r = mean * mean / var;
    double shape = 0.5 * (1 - r);
    double scale = 0.5 * mean * (r + 1);
    if (Math.abs(shape) < 1e-6) {
      return Math.exp(-y / scale);
    }
    double base = 1 + shape * y / scale;
    // A light tail (shape < 0) ends at threshold + scale / -shape: a value past that end has
    // no precedent in the fitted tail and gets the floor. Clamping the shape at 0 instead
    // (never an end) was measured: NAB standard 60.5 against 70.2.
    return base <= 0 ? FLOOR : Math.pow(base, -1 / shape);
  }

  private int lowerBound(double x) {
    int lo = 0;
    int hi = count;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
