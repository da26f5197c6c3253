package io.vigil.analysis.incidents;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Baseline: always the most frequent training label, with its training frequency. */
public final class MajorityCauseClassifier implements CauseClassifier {

  private final CausePrediction prediction;

  private MajorityCauseClassifier(CausePrediction prediction) {
    this.prediction = prediction;
  }

  public static MajorityCauseClassifier train(List<LabelledIncident> incidents) {
    Map<String, Integer> counts = new TreeMap<>(); // sorted: ties go to the same label every run
    int n = 0;
    for (LabelledIncident i : incidents) {
      if (i.cause() != null) {
        counts.merge(i.cause(), 1, Integer::sum);
        n++;
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("no incident with a cause label to train on");
    }
    var top = counts.entrySet().stream().max(Map.Entry.comparingByValue(Comparator.naturalOrder()))
        .orElseThrow();
    return new MajorityCauseClassifier(new CausePrediction(top.getKey(), top.getValue() / (double) n));
  }

  @Override
  public CausePrediction classify(String text) {
    return prediction;
  }
}
