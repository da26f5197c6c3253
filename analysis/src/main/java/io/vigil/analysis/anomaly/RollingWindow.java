package io.vigil.analysis.anomaly;

import java.util.Arrays;

/** The last {@code capacity} values of a series, with order statistics on demand. */
public final class RollingWindow {

  private final double[] values;
  private final double[] scratch;
  private int size;
  private int next;

  public RollingWindow(int capacity) {
    values = new double[capacity];
    scratch = new double[capacity];
  }

  public void add(double v) {
    values[next] = v;
    next = (next + 1) % values.length;
    size = Math.min(size + 1, values.length);
  }

  public int size() {
    return size;
  }

  public boolean full() {
    return size == values.length;
  }

  public double mean() {
    double s = 0;
    for (int i = 0; i < size; i++) {
      s += values[i];
    }
    return size == 0 ? 0 : s / size;
  }

  public double std() {
    double m = mean();
    double s = 0;
    for (int i = 0; i < size; i++) {
      s += (values[i] - m) * (values[i] - m);
    }
    return size < 2 ? 0 : Math.sqrt(s / (size - 1));
  }

  /** The q-quantile (0..1) of the values held, by sorting a copy. */
  public double quantile(double q) {
    System.arraycopy(values, 0, scratch, 0, size);
    Arrays.sort(scratch, 0, size);
    double pos = q * (size - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, size - 1);
    return scratch[lo] + (pos - lo) * (scratch[hi] - scratch[lo]);
  }

  /** Median absolute deviation from {@code center}. */
  public double mad(double center) {
    for (int i = 0; i < size; i++) {
      scratch[i] = Math.abs(values[i] - center);
    }
    Arrays.sort(scratch, 0, size);
    return size == 0 ? 0 : scratch[size / 2];
  }

  public double min() {
    double m = Double.POSITIVE_INFINITY;
    for (int i = 0; i < size; i++) {
      m = Math.min(m, values[i]);
    }
    return m;
  }

  public double max() {
    double m = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < size; i++) {
      m = Math.max(m, values[i]);
    }
    return m;
  }

  /** Share of the values held that are strictly below {@code v}, ties counted half. */
  public double rank(double v) {
    int below = 0;
    int equal = 0;
    for (int i = 0; i < size; i++) {
      if (values[i] < v) {
        below++;
      } else if (values[i] == v) {
        equal++;
      }
    }
    return size == 0 ? 0 : (below + 0.5 * equal) / size;
  }
}
