package io.vigil.analysis.prediction;

import java.util.Arrays;

/**
 * A model's scores on a set of rows, counted in ten equal bins over [0, 1], and the population
 * stability index (PSI) between two such histograms: the drift measure credit-risk teams use on
 * score distributions, Σ (a − e) · ln(a / e) over the bins' shares. The usual reading: below
 * 0.1 stable, 0.1 to 0.25 moderate shift, above 0.25 a shift worth retraining for.
 */
public record ScoreHistogram(long[] counts) {

  public static final int BINS = 10;
  // An empty bin would make ln(a / e) infinite; a share this small stands in for zero.
  private static final double EMPTY_SHARE = 1e-4;

  public ScoreHistogram {
    if (counts.length != BINS) {
      throw new IllegalArgumentException("a score histogram has " + BINS + " bins, not "
          + counts.length);
    }
    counts = counts.clone();
  }

  public static ScoreHistogram of(float[] scores) {
    long[] c = new long[BINS];
    for (float s : scores) {
      if (Float.isNaN(s)) {
        continue;
      }
      int bin = (int) Math.floor(Math.min(Math.max(s, 0f), 1f) * BINS);
      c[Math.min(bin, BINS - 1)]++;
    }
    return new ScoreHistogram(c);
  }

  public long total() {
    return Arrays.stream(counts).sum();
  }

  /** PSI of {@code actual} against this histogram as the expected one; NaN if either is empty. */
  public double psi(ScoreHistogram actual) {
    long e = total();
    long a = actual.total();
    if (e == 0 || a == 0) {
      return Double.NaN;
    }
    double psi = 0;
    for (int i = 0; i < BINS; i++) {
      double es = Math.max((double) counts[i] / e, EMPTY_SHARE);
      double as = Math.max((double) actual.counts[i] / a, EMPTY_SHARE);
      psi += (as - es) * Math.log(as / es);
    }
    return psi;
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScoreHistogram h && Arrays.equals(counts, h.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return Arrays.toString(counts);
  }
}
