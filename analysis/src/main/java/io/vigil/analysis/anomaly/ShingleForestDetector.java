package io.vigil.analysis.anomaly;

import java.util.ArrayDeque;

/**
 * Isolation Forest over shingles (the last few values, scaled by the series' own median and
 * inter-quartile range), refitted from the series' history on a schedule — the approach of
 * Random Cut Forest, with a forest that can be written out as an ONNX model. A forest's raw
 * scores are not comparable between series, so the anomaly score is the rank of the new raw
 * score among the series' recent raw scores; after an alarm the detector rests, so one event
 * alarms once, unless a clearly stronger one follows.
 */
public final class ShingleForestDetector implements SeriesDetector {

  private final ForestSettings settings;
  private final double[] last;
  private final ArrayDeque<double[]> history = new ArrayDeque<>();
  private final RollingWindow values;
  private final RollingWindow rawScores;
  private final java.util.concurrent.Executor refitter;
  /** The forest in use with its input scaling; swapped whole when a refit completes. */
  private volatile FittedModel model;
  private volatile boolean fitting;
  private int seen;
  private int sinceFit;
  private int resting;
  private double alarmRaw;

  /** Fits in the calling thread: deterministic, for evaluation and tests. */
  public ShingleForestDetector(ForestSettings settings) {
    this(settings, Runnable::run);
  }

  /**
   * @param refitter runs refits; with a background executor, scoring goes on with the current
   *     forest while the next one grows, so a refit never stalls the pipeline
   */
  public ShingleForestDetector(ForestSettings settings, java.util.concurrent.Executor refitter) {
    this.settings = settings;
    this.refitter = refitter;
    this.last = new double[settings.shingle];
    this.values = new RollingWindow(settings.history);
    this.rawScores = new RollingWindow(settings.rankHistory);
  }

  @Override
  public double update(long timeUnixNanos, double value) {
    int k = settings.shingle;
    System.arraycopy(last, 1, last, 0, k - 1);
    last[k - 1] = value;
    values.add(value);
    seen++;
    if (seen < k) {
      return 0;
    }
    double[] shingle = last.clone();
    FittedModel current = model;
    double raw = current == null ? Double.NaN : current.score(shingle);
    history.addLast(shingle);
    if (history.size() > settings.history) {
      history.removeFirst();
    }
    sinceFit++;
    if (!fitting && (current == null ? seen >= settings.firstFit
        : sinceFit >= settings.refitEvery)) {
      fit();
    }
    if (Double.isNaN(raw)) {
      return 0;
    }
    double rank = rawScores.size() < 50 ? 0 : rawScores.rank(raw);
    rawScores.add(raw);
    if (raw < settings.minForestScore) {
      // At or below 0.5 a forest calls a point ordinary, however it ranks among quiet scores.
      rank = Math.min(rank, 0.5);
    }
    if (resting > 0) {
      resting--;
      // A clearly stronger event is not silenced by the rest after a weaker one.
      if (raw <= alarmRaw * settings.restBreakFactor) {
        return Math.min(rank, 0.5);
      }
    }
    if (rank >= settings.alarmLevel) {
      resting = settings.restPoints;
      alarmRaw = raw;
    }
    return rank;
  }

  /** The forest in use and the scaling its inputs need, or null before the first fit. */
  public FittedModel model() {
    return model;
  }

  /** A fitted forest with the centre and scale its inputs are reduced by. */
  public record FittedModel(IsolationForest forest, double center, double scale) {

    double[] scaled(double[] s) {
      double[] out = new double[s.length];
      for (int i = 0; i < s.length; i++) {
        out[i] = (s[i] - center) / scale;
      }
      return out;
    }

    double score(double[] shingle) {
      return forest.score(scaled(shingle));
    }
  }

  private void fit() {
    double center = values.quantile(0.5);
    double spread = values.quantile(0.75) - values.quantile(0.25);
    double scale = spread > 0 ? spread
        : Math.max(values.max() - values.min(), Math.abs(center) * 1e-3 + 1e-9);
    double[][] raw = history.toArray(new double[0][]);
    long seed = 42L + seen;
    fitting = true;
    sinceFit = 0;
    refitter.execute(() -> {
      try {
        FittedModel unfitted = new FittedModel(null, center, scale);
        double[][] rows = new double[raw.length][];
        for (int i = 0; i < raw.length; i++) {
          rows[i] = unfitted.scaled(raw[i]);
        }
        model = new FittedModel(IsolationForest.fit(rows, settings.trees, settings.sampleSize,
            seed), center, scale);
      } finally {
        fitting = false;
      }
    });
  }
}
