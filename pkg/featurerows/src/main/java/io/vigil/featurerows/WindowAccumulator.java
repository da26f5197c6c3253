package io.vigil.featurerows;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** What one feature gathered in one service's window, until the row is closed. */
final class WindowAccumulator {

  private double sum;
  private long count;
  private double max = Double.NEGATIVE_INFINITY;
  private double min = Double.POSITIVE_INFINITY;
  private boolean seenIncrease;
  private double numerator;
  /** Last reading per series: {time, value}. */
  private Map<String, double[]> last;
  private double[] bounds;
  private double[] buckets;
  /** Sum of the series' readings per time stamp, for {@link Aggregation#MIN_TOTAL}. */
  private Map<Long, Double> totals;

  void reading(String series, long time, double v) {
    sum += v;
    count++;
    max = Math.max(max, v);
    min = Math.min(min, v);
    if (last == null) {
      last = new HashMap<>(4);
    }
    double[] prev = last.get(series);
    if (prev == null || time >= prev[0]) {
      last.put(series, new double[] {time, v});
    }
  }

  void totalReading(long time, double v) {
    if (totals == null) {
      totals = new HashMap<>(4);
    }
    totals.merge(time, v, Double::sum);
  }

  void increase(double v, boolean aboveTheLine) {
    seenIncrease = true;
    sum += v;
    if (aboveTheLine) {
      numerator += v;
    }
  }

  /** @return false when the buckets' bounds differ from those merged so far (not merged) */
  boolean buckets(double[] pointBounds, double[] counts) {
    if (bounds == null) {
      bounds = pointBounds;
      buckets = counts.clone();
      return true;
    }
    if (!Arrays.equals(bounds, pointBounds) || counts.length != buckets.length) {
      return false;
    }
    for (int i = 0; i < counts.length; i++) {
      buckets[i] += counts[i];
    }
    return true;
  }

  double value(Aggregation a, double quantile, double windowSeconds) {
    return switch (a) {
      case LAST -> {
        if (last == null) {
          yield Double.NaN;
        }
        double s = 0;
        for (double[] tv : last.values()) {
          s += tv[1];
        }
        yield s;
      }
      case MEAN -> count == 0 ? Double.NaN : sum / count;
      case MAX -> count == 0 ? Double.NaN : max;
      case MIN -> count == 0 ? Double.NaN : min;
      case MIN_TOTAL -> {
        if (totals == null) {
          yield Double.NaN;
        }
        double m = Double.POSITIVE_INFINITY;
        for (double t : totals.values()) {
          m = Math.min(m, t);
        }
        yield m;
      }
      case SUM -> seenIncrease ? sum : Double.NaN;
      case RATE -> seenIncrease ? sum / windowSeconds : Double.NaN;
      case RATIO -> !seenIncrease ? Double.NaN : sum > 0 ? numerator / sum : 0;
      case QUANTILE -> bounds == null ? Double.NaN : quantile(quantile);
      case CHANGE -> Double.NaN; // from rows, not points: FeatureRowBuilder computes it
    };
  }

  /**
   * As Prometheus' histogram_quantile: linear within the bucket holding the rank, the lowest
   * bucket starting at 0 (or its bound, if negative), the open top bucket giving the highest
   * bound.
   */
  private double quantile(double q) {
    double total = 0;
    for (double c : buckets) {
      total += c;
    }
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double before = 0;
    for (int i = 0; i < buckets.length; i++) {
      if (before + buckets[i] >= rank && buckets[i] > 0) {
        if (i >= bounds.length) {
          return bounds.length == 0 ? Double.NaN : bounds[bounds.length - 1];
        }
        double upper = bounds[i];
        double lower = i == 0 ? Math.min(0, upper) : bounds[i - 1];
        return lower + (upper - lower) * (rank - before) / buckets[i];
      }
      before += buckets[i];
    }
    return bounds.length == 0 ? Double.NaN : bounds[bounds.length - 1];
  }
}
