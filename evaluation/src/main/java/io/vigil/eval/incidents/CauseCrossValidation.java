package io.vigil.eval.incidents;

import io.vigil.analysis.incidents.CauseClassifier;
import io.vigil.analysis.incidents.ClassificationScores;
import io.vigil.analysis.incidents.LabelledIncident;
import io.vigil.analysis.incidents.StratifiedFolds;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Stratified k-fold cross-validation of a cause classifier trainer: the folds are fixed by the
 * seed and the same for every method of a run; each trainer sees only the training folds (any
 * hyper-parameter it chooses, it chooses there), and the predictions of all test folds are
 * pooled into one accuracy and macro-F1.
 */
public final class CauseCrossValidation {

  private final List<LabelledIncident> labelled;
  private final int folds;
  private final int[] fold;

  public CauseCrossValidation(List<LabelledIncident> incidents, int folds, long seed) {
    this.labelled = incidents.stream().filter(i -> i.cause() != null).toList();
    this.folds = folds;
    this.fold = StratifiedFolds.assign(labelled.stream().map(LabelledIncident::cause).toList(),
        folds, seed);
  }

  public List<LabelledIncident> labelled() {
    return labelled;
  }

  /** Scores a trainer; {@code trained} sees each fold's model (to report chosen settings). */
  public ClassificationScores score(Function<List<LabelledIncident>, CauseClassifier> trainer,
      Consumer<CauseClassifier> trained) {
    List<String> truth = new ArrayList<>();
    List<String> predicted = new ArrayList<>();
    for (int f = 0; f < folds; f++) {
      List<LabelledIncident> train = new ArrayList<>();
      List<LabelledIncident> test = new ArrayList<>();
      for (int i = 0; i < labelled.size(); i++) {
        (fold[i] == f ? test : train).add(labelled.get(i));
      }
      CauseClassifier classifier = trainer.apply(train);
      trained.accept(classifier);
      for (LabelledIncident i : test) {
        truth.add(i.cause());
        String label = classifier.classify(i.text()).label();
        predicted.add(label == null ? "" : label);
      }
    }
    return ClassificationScores.of(truth, predicted);
  }

  /** Trains on one set and scores on another (the train/test command). */
  public static ClassificationScores trainTest(List<LabelledIncident> train,
      List<LabelledIncident> test, Function<List<LabelledIncident>, CauseClassifier> trainer) {
    CauseClassifier classifier =
        trainer.apply(train.stream().filter(i -> i.cause() != null).toList());
    List<String> truth = new ArrayList<>();
    List<String> predicted = new ArrayList<>();
    for (LabelledIncident i : test) {
      if (i.cause() != null) {
        truth.add(i.cause());
        String label = classifier.classify(i.text()).label();
        predicted.add(label == null ? "" : label);
      }
    }
    return ClassificationScores.of(truth, predicted);
  }
}
