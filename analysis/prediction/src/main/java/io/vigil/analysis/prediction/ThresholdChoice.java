package io.vigil.analysis.prediction;

import io.vigil.analysis.onnx.OnnxModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The probability from which a model alarms, chosen from the training rows alone
 * ({@code vigil-train --threshold auto}): a model fitted on the first 70 % of their time scores
 * the last 30 % (rows within the horizon of the cut left out, as for the test split), and the
 * threshold with the best row F1 there wins. A forest's probabilities depend on how rare
 * failures are in the data, so no fixed threshold suits every set of runs; the test rows are
 * never looked at, so the evaluation that follows stays honest.
 *
 * @param how in words, for the output and the model's metadata
 */
public record ThresholdChoice(double threshold, String how) {

  static final double FALLBACK = 0.5;
  private static final double INNER_TRAIN_SHARE = 0.7;

  static ThresholdChoice given(double threshold) {
    return new ThresholdChoice(threshold, "given");
  }

  /** @param fit fits a model (ONNX bytes) on the rows given, as the real fit will */
  static ThresholdChoice choose(LabelledSet train, long horizonNanos,
      Function<LabelledSet, byte[]> fit) {
    long from = train.fromNanos();
    long to = Long.MIN_VALUE;
    for (FeatureTable.Row r : train.rows()) {
      to = Math.max(to, r.endNanos());
    }
    long cut = from + (long) ((to - from) * INNER_TRAIN_SHARE);
    LabelledSet inner = train.between(from, cut - horizonNanos);
    LabelledSet check = train.between(cut, to);
    if (inner.positives() == 0 || check.positives() == 0) {
      return new ThresholdChoice(FALLBACK, String.format(Locale.ROOT, "%.2f, the fallback: the"
          + " training rows' %s holds no positive row to choose on", FALLBACK,
          inner.positives() == 0 ? "first 70 % of time" : "last 30 % of time"));
    }
    float[] scores;
    try (OnnxModel m = OnnxModel.load(fit.apply(inner), "the threshold's model")) {
      scores = m.score(TrainingRun.floats(check.matrix()));
    }
    // Every threshold with the best F1 is as good on these rows; the middle one of them keeps
    // the widest margin either way for rows not seen (on rows it separates cleanly, 0.5).
    double bestF1 = -1;
    List<Double> best = new ArrayList<>();
    for (int step = 1; step <= 19; step++) {
      double t = step / 20.0;
      double f1 = f1(scores, check.labels(), t);
      if (f1 > bestF1 + 1e-12) {
        bestF1 = f1;
        best.clear();
      }
      if (Math.abs(f1 - bestF1) <= 1e-12) {
        best.add(t);
      }
    }
    double chosen = best.get(best.size() / 2);
    return new ThresholdChoice(chosen, String.format(Locale.ROOT, "%.2f, chosen on the training"
        + " rows: row F1 %.3f on their last 30 %% of time (%d rows, %d positive) for a model"
        + " fitted on the first 70 %%", chosen, bestF1, check.rows().size(), check.positives()));
  }

  static double f1(float[] scores, boolean[] labels, double threshold) {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    for (int i = 0; i < scores.length; i++) {
      boolean alarm = scores[i] >= threshold;
      tp += alarm && labels[i] ? 1 : 0;
      fp += alarm && !labels[i] ? 1 : 0;
      fn += !alarm && labels[i] ? 1 : 0;
    }
    return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
  }
}
