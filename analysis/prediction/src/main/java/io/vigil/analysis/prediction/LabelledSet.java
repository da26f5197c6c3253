package io.vigil.analysis.prediction;

import java.util.ArrayList;
import java.util.List;

/**
 * Feature rows labelled "this service fails within the next H": a row of service s over the
 * window [start, end) is positive when a fault of s starts in (end, end + H]. Rows whose
 * window overlaps one of s's faults are left out: the failure is already on, and telling it
 * then is detection, not prediction. Rows of a service no label names are kept as negatives
 * (a healthy service is what most rows are).
 */
public record LabelledSet(List<FeatureTable.Row> rows, boolean[] labels, int excluded) {

  public static LabelledSet of(List<FeatureTable.Row> rows, List<FaultLabel> faults,
      long horizonNanos) {
    List<FeatureTable.Row> kept = new ArrayList<>();
    List<Boolean> labels = new ArrayList<>();
    int excluded = 0;
    for (FeatureTable.Row r : rows) {
      boolean during = false;
      boolean ahead = false;
      for (FaultLabel f : faults) {
        if (!f.service().equals(r.service())) {
          continue;
        }
        if (r.startNanos() <= f.endNanos() && f.startNanos() < r.endNanos()) {
          during = true;
        } else if (f.startNanos() >= r.endNanos()
            && f.startNanos() <= r.endNanos() + horizonNanos) {
          ahead = true;
        }
      }
      if (during) {
        excluded++;
        continue;
      }
      kept.add(r);
      labels.add(ahead);
    }
    boolean[] y = new boolean[labels.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.get(i);
    }
    return new LabelledSet(List.copyOf(kept), y, excluded);
  }

  public int positives() {
    int n = 0;
    for (boolean b : labels) {
      n += b ? 1 : 0;
    }
    return n;
  }

  public double[][] matrix() {
    double[][] x = new double[rows.size()][];
    for (int i = 0; i < x.length; i++) {
      x[i] = rows.get(i).values();
    }
    return x;
  }

  /** Start of the earliest row's window; Long.MAX_VALUE when there is none. */
  public long fromNanos() {
    long from = Long.MAX_VALUE;
    for (FeatureTable.Row r : rows) {
      from = Math.min(from, r.startNanos());
    }
    return from;
  }

  /**
   * Indexes of the negative rows that led up to a false alarm or lay inside it: rows of its
   * service whose window ends in [start − H, end]. They are what raised the alarm.
   */
  public List<Integer> hardNegatives(List<FaultLabel> falseAlarms, long horizonNanos) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (labels[i]) {
        continue;
      }
      FeatureTable.Row r = rows.get(i);
      for (FaultLabel a : falseAlarms) {
        if (a.service().equals(r.service()) && r.endNanos() >= a.startNanos() - horizonNanos
            && r.startNanos() <= a.endNanos()) {
          out.add(i);
          break;
        }
      }
    }
    return out;
  }

  /**
   * This set with each hard negative ({@link #hardNegatives}) repeated {@code weight} times in
   * all: the tree trainers take no row weights, and a repeated row weighs as much.
   */
  public LabelledSet weighHardNegatives(List<FaultLabel> falseAlarms, long horizonNanos,
      int weight) {
    List<Integer> hard = hardNegatives(falseAlarms, horizonNanos);
    if (hard.isEmpty() || weight <= 1) {
      return this;
    }
    List<FeatureTable.Row> r = new ArrayList<>(rows);
    List<Boolean> l = new ArrayList<>();
    for (boolean b : labels) {
      l.add(b);
    }
    for (int i : hard) {
      for (int k = 1; k < weight; k++) {
        r.add(rows.get(i));
        l.add(false);
      }
    }
    boolean[] y = new boolean[l.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = l.get(i);
    }
    return new LabelledSet(List.copyOf(r), y, excluded);
  }

  /** Rows (with labels) whose window lies in [fromNanos, toNanos). */
  public LabelledSet between(long fromNanos, long toNanos) {
    List<FeatureTable.Row> r = new ArrayList<>();
    List<Boolean> l = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      FeatureTable.Row row = rows.get(i);
      if (row.startNanos() >= fromNanos && row.endNanos() <= toNanos) {
        r.add(row);
        l.add(labels[i]);
      }
    }
    boolean[] y = new boolean[l.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = l.get(i);
    }
    return new LabelledSet(List.copyOf(r), y, 0);
  }
}
