package io.vigil.analysis.incidents;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Chooses a hyper-parameter by stratified cross-validation inside the training incidents only:
 * every candidate is trained on k-1 inner folds and predicts the held-out one, and the
 * candidate with the best macro-F1 over all pooled inner predictions wins (pooled, because a
 * rare class appears in only a few folds). Ties go to the earlier candidate, so grids list the
 * simplest or most regularised setting first.
 */
final class InnerCrossValidation {

  private InnerCrossValidation() {}

  static int choose(List<LabelledIncident> labelled, int candidates, int folds, long seed,
      BiFunction<List<LabelledIncident>, Integer, CauseClassifier> trainer) {
    if (candidates == 1) {
      return 0;
    }
    List<String> truth = labelled.stream().map(LabelledIncident::cause).toList();
    int[] fold = StratifiedFolds.assign(truth, folds, seed);
    int best = 0;
    double bestF1 = -1;
    for (int g = 0; g < candidates; g++) {
      List<String> t = new ArrayList<>();
      List<String> p = new ArrayList<>();
      for (int f = 0; f < folds; f++) {
        List<LabelledIncident> train = new ArrayList<>();
        List<LabelledIncident> test = new ArrayList<>();
        if (!split(labelled, fold, f, train, test)) {
          continue;
        }
        CauseClassifier c = trainer.apply(train, g);
        test.forEach(i -> t.add(i.cause()));
        p.addAll(predict(c, test));
      }
      double f1 = ClassificationScores.of(t, p).macroF1();
      if (f1 > bestF1) {
        bestF1 = f1;
        best = g;
      }
    }
    return best;
  }

  /**
   * Fills {@code train} and {@code test} with the incidents out of and in fold {@code f};
   * false when either is empty (a fold a small class left bare), so the fold is skipped.
   */
  static boolean split(List<LabelledIncident> labelled, int[] fold, int f,
      List<LabelledIncident> train, List<LabelledIncident> test) {
    for (int i = 0; i < labelled.size(); i++) {
      (fold[i] == f ? test : train).add(labelled.get(i));
    }
    return !test.isEmpty() && !train.isEmpty();
  }

  /** The predicted label of each incident ("" when the classifier has none). */
  static List<String> predict(CauseClassifier c, List<LabelledIncident> incidents) {
    List<String> out = new ArrayList<>();
    for (LabelledIncident i : incidents) {
      String label = c.classify(i.text()).label();
      out.add(label == null ? "" : label);
    }
    return out;
  }
}
