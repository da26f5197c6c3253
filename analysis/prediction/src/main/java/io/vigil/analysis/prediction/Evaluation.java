package io.vigil.analysis.prediction;

import java.util.ArrayList;
import java.util.List;

/**
 * How a predictor did on held-out rows: per row (precision and recall of "fails within H"),
 * and per fault: whether an alarm came in the H before it started, and how long before (the
 * lead time, from the end of the first alarming window to the fault's start).
 */
public record Evaluation(double threshold, int truePositives, int falsePositives,
    int falseNegatives, int trueNegatives, int faults, int faultsPredicted,
    List<Double> leadTimesSeconds) {

  public double precision() {
    int p = truePositives + falsePositives;
    return p == 0 ? Double.NaN : (double) truePositives / p;
  }

  public double recall() {
    int p = truePositives + falseNegatives;
    return p == 0 ? Double.NaN : (double) truePositives / p;
  }

  /**
   * F1 of a predictor that alarms on every row: precision is the share of positive rows, recall
   * 1. A model at or below it has no skill on these rows, whatever its own F1 looks like.
   */
  public double alwaysAlarmF1() {
    int positives = truePositives + falseNegatives;
    int rows = positives + falsePositives + trueNegatives;
    return positives == 0 ? 0 : 2.0 * positives / (positives + rows);
  }

  /** Median lead time of the predicted faults, NaN when none was. */
  public double medianLeadTimeSeconds() {
    if (leadTimesSeconds.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(leadTimesSeconds);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /**
   * @param faults all labels; those of services in {@code test} starting within its span (at
   *     least H after its first window, so the whole lead window is in it) are counted
   */
  public static Evaluation of(LabelledSet test, float[] scores, double threshold,
      List<FaultLabel> faults, long horizonNanos) {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    int tn = 0;
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (int i = 0; i < scores.length; i++) {
      boolean alarm = scores[i] >= threshold;
      boolean label = test.labels()[i];
      if (alarm && label) {
        tp++;
      } else if (alarm) {
        fp++;
      } else if (label) {
        fn++;
      } else {
        tn++;
      }
      from = Math.min(from, test.rows().get(i).startNanos());
      to = Math.max(to, test.rows().get(i).endNanos());
    }
    int counted = 0;
    List<Double> leads = new ArrayList<>();
    for (FaultLabel f : faults) {
      if (f.startNanos() < from + horizonNanos || f.startNanos() > to) {
        continue;
      }
      boolean serviceSeen = false;
      long firstAlarmEnd = Long.MAX_VALUE;
      for (int i = 0; i < scores.length; i++) {
        FeatureTable.Row r = test.rows().get(i);
        if (!r.service().equals(f.service())) {
          continue;
        }
        serviceSeen = true;
        if (r.endNanos() <= f.startNanos() && r.endNanos() >= f.startNanos() - horizonNanos
            && scores[i] >= threshold) {
          firstAlarmEnd = Math.min(firstAlarmEnd, r.endNanos());
        }
      }
      if (!serviceSeen) {
        continue;
      }
      counted++;
      if (firstAlarmEnd != Long.MAX_VALUE) {
        leads.add((f.startNanos() - firstAlarmEnd) / 1e9);
      }
    }
    return new Evaluation(threshold, tp, fp, fn, tn, counted, leads.size(), List.copyOf(leads));
  }
}
