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
