package io.vigil.analysis.training;

import java.util.Arrays;

/**
 * Labelled rows checked once and binned once for the tree trainers. Each feature's values are
 * cut into at most {@code bins} bins at float cut points: between every two neighbouring
 * distinct values when there are few enough (exact greedy split finding), else at quantiles.
 * A row is in bin j when exactly j cut points are at or below its value as a float, so "bin at
 * most j" and {@code (float) v < cut[j]} are the same test: a tree grown on bins routes raw
 * rows, in Java and in onnxruntime, exactly as it routed its training rows.
 */
final class TrainingSet {

  /** Bin of a NaN; real bins are 0..254. */
  static final int MISSING = 255;
  static final int MAX_BINS = 255;

  final double[][] rows;
  final boolean[] labels;
  final int positives;
  /** Cut points per feature, ascending. */
  final float[][] cuts;
  /** Bin of each value, by feature then row (unsigned). */
  final byte[][] bins;

  private TrainingSet(double[][] rows, boolean[] labels, int positives, float[][] cuts,
      byte[][] bins) {
    this.rows = rows;
    this.labels = labels;
    this.positives = positives;
    this.cuts = cuts;
    this.bins = bins;
  }

  /**
   * @throws IllegalArgumentException naming what is wrong: no rows, no features, ragged rows,
   *     a label count unlike the row count, or labels of one class only
   */
  static TrainingSet of(double[][] x, boolean[] y, int maxBins) {
    if (x == null || x.length == 0) {
      throw new IllegalArgumentException("no rows to fit");
    }
    if (y == null || y.length != x.length) {
      throw new IllegalArgumentException((y == null ? 0 : y.length) + " labels for "
          + x.length + " rows; each row needs one label");
    }
    if (x[0] == null || x[0].length == 0) {
      throw new IllegalArgumentException("row 0 has no features");
    }
    int width = x[0].length;
    for (int i = 1; i < x.length; i++) {
      if (x[i] == null || x[i].length != width) {
        throw new IllegalArgumentException("ragged rows: row " + i + " has "
            + (x[i] == null ? 0 : x[i].length) + " features, row 0 has " + width);
      }
    }
    int positives = 0;
    for (boolean label : y) {
      positives += label ? 1 : 0;
    }
    if (positives == 0 || positives == y.length) {
      throw new IllegalArgumentException("all " + y.length + " labels are "
          + (positives == 0 ? "false" : "true")
          + "; a classifier needs examples of both classes");
    }
    if (maxBins < 2 || maxBins > MAX_BINS) {
      throw new IllegalArgumentException("bins is " + maxBins + ", must be 2.." + MAX_BINS);
    }
    float[][] cuts = new float[width][];
    byte[][] bins = new byte[width][x.length];
    float[] column = new float[x.length];
    for (int f = 0; f < width; f++) {
      for (int i = 0; i < x.length; i++) {
        column[i] = (float) x[i][f];
      }
      cuts[f] = cutPoints(column, maxBins);
      for (int i = 0; i < x.length; i++) {
        bins[f][i] = (byte) bin(cuts[f], column[i]);
      }
    }
    return new TrainingSet(x, y, positives, cuts, bins);
  }

  int size() {
    return rows.length;
  }

  int features() {
    return cuts.length;
  }

  static int bin(float[] cuts, float v) {
    if (Float.isNaN(v)) {
      return MISSING;
    }
    // Count of cut points <= v: a binary search for the first cut above v.
    int lo = 0;
    int hi = cuts.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cuts[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static float[] cutPoints(float[] column, int maxBins) {
    float[] sorted = new float[column.length];
    int n = 0;
    for (float v : column) {
      if (!Float.isNaN(v)) {
        sorted[n++] = v;
      }
    }
    Arrays.sort(sorted, 0, n);
    // Distinct values (by ==, so -0 and 0 are one) and how often each occurs.
    float[] values = new float[n];
    int[] counts = new int[n];
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (distinct > 0 && values[distinct - 1] == sorted[i]) {
        counts[distinct - 1]++;
      } else {
        values[distinct] = sorted[i];
        counts[distinct++] = 1;
      }
    }
    float[] cuts = new float[maxBins - 1];
    int made = 0;
    double perBin = (double) n / maxBins;
    long seen = 0;
    long nextTarget = 1;
    for (int i = 0; i + 1 < distinct && made < cuts.length; i++) {
      seen += counts[i];
      if (distinct <= maxBins || seen >= nextTarget * perBin) {
        cuts[made++] = between(values[i], values[i + 1]);
        // A heavy value may pass several quantiles; the next cut comes at the next one.
        nextTarget = (long) Math.floor(seen / perBin) + 1;
      }
    }
    return Arrays.copyOf(cuts, made);
  }

  /** A float cut c with a < c <= b: the midpoint, unless float rounding puts it on a. */
  private static float between(float a, float b) {
    float mid = (float) ((a + (double) b) / 2);
    return mid > a && mid <= b ? mid : b;
  }
}
