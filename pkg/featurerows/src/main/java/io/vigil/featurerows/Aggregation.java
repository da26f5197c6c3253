package io.vigil.featurerows;

import java.util.Locale;

/**
 * How the points of one window become a feature's value.
 *
 * <p>A point's <em>reading</em> is its value for gauges and non-monotonic sums, a rate per
 * second for monotonic sums (from the series' previous point when cumulative), and the mean of
 * the interval's observations for histograms. Its <em>increase</em> is what a monotonic sum
 * (or a histogram's count) grew by since the series' previous point (a delta point's own value),
 * and the value itself for gauges and non-monotonic sums.
 */
public enum Aggregation {
  /** Sum over the series of each series' last reading in the window (e.g. heap over pools). */
  LAST,
  /** Mean of all readings in the window. */
  MEAN,
  /** Largest reading in the window. */
  MAX,
  /** Smallest reading in the window. */
  MIN,
  /**
   * Smallest total over the series at one time stamp: the floor of a sum such as the heap over
   * its memory pools, which {@code min} (over single readings) cannot give. A leak lifts the
   * heap's floor while the young generation's saw-tooth hides it in {@code last}.
   */
  MIN_TOTAL,
  /** Sum of the increases in the window. */
  SUM,
  /** Sum of the increases divided by the window in seconds. */
  RATE,
  /** Increases of points matching {@code numerator} over all increases (e.g. error ratio). */
  RATIO,
  /** The {@code quantile} of a histogram's observations in the window, from its buckets. */
  QUANTILE,
  /**
   * Not of points: this row's value of the feature {@code of} minus that of the same service's
   * row {@code over} earlier (NaN when either is missing). A tree sees one row at a time, so a
   * trend (a heap floor climbing for minutes) is only visible to it as a feature.
   */
  CHANGE;

  /** The config spelling: {@code last}, {@code rate}, ... */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return null for an unknown spelling */
  public static Aggregation parse(String s) {
    if (s == null) {
      return null;
    }
    for (Aggregation a : values()) {
      if (a.key().equals(s)) {
        return a;
      }
    }
    return null;
  }
}
