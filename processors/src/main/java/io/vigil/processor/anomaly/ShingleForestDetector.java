package io.vigil.processor.anomaly;

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

  private final DetectorSettings settings;
  private final double[] last;
  private final ArrayDeque<double[]> history = new ArrayDeque<>();
  private final RollingWindow values;
  private final RollingWindow rawScores;
  private IsolationForest forest;
  private double center;
  private double scale = 1;
  private int seen;
  private int sinceFit;
  private int resting;
  private double alarmRaw;

  public ShingleForestDetector(DetectorSettings settings) {
    this.settings = settings;
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
    double raw = forest == null ? Double.NaN : forest.score(scaled(shingle));
    history.addLast(shingle);
    if (history.size() > settings.history) {
      history.removeFirst();
    }
    sinceFit++;
    if (forest == null ? seen >= settings.firstFit : sinceFit >= settings.refitEvery) {
      fit();
    }
    if (Double.isNaN(raw)) {
      return 0;
    }
    double rank = rawScores.size() < 50 ? 0 : rawScores.rank(raw);
    rawScores.add(raw);
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
    return forest == null ? null : new FittedModel(forest, center, scale);
  }

  /** A fitted forest with the centre and scale its inputs are divided by. */
  public record FittedModel(IsolationForest forest, double center, double scale) {}

  private void fit() {
    center = values.quantile(0.5);
    double spread = values.quantile(0.75) - values.quantile(0.25);
    scale = spread > 0 ? spread
        : Math.max(values.max() - values.min(), Math.abs(center) * 1e-3 + 1e-9);
    double[][] rows = new double[history.size()][];
    int i = 0;
    for (double[] h : history) {
      rows[i++] = scaled(h);
    }
    forest = IsolationForest.fit(rows, settings.trees, settings.sampleSize, 42L + seen);
    sinceFit = 0;
  }

  private double[] scaled(double[] s) {
    double[] out = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = (s[i] - center) / scale;
    }
    return out;
  }
}
