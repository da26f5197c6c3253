package io.vigil.analysis.incidents;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Accuracy and macro-F1 of predicted against true labels. Macro-F1 averages per-class F1 over
 * the classes present in the truth, so a rare class counts as much as a common one and a
 * classifier that only ever says the majority class scores low.
 */
public record ClassificationScores(int n, double accuracy, double macroF1) {

  public static ClassificationScores of(List<String> truth, List<String> predicted) {
    if (truth.size() != predicted.size() || truth.isEmpty()) {
      throw new IllegalArgumentException("need as many predictions as labels, at least one");
    }
    int correct = 0;
    for (int i = 0; i < truth.size(); i++) {
      if (truth.get(i).equals(predicted.get(i))) {
        correct++;
      }
    }
    Set<String> classes = new TreeSet<>(truth);
    double f1Sum = 0;
    for (String c : classes) {
      int tp = 0;
      int fp = 0;
      int fn = 0;
      for (int i = 0; i < truth.size(); i++) {
        boolean t = truth.get(i).equals(c);
        boolean p = predicted.get(i).equals(c);
        if (t && p) {
          tp++;
        } else if (p) {
          fp++;
        } else if (t) {
          fn++;
        }
      }
      f1Sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
    return new ClassificationScores(truth.size(), correct / (double) truth.size(),
        f1Sum / classes.size());
  }
}
