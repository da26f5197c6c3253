package io.vigil.eval.nab;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Numenta Anomaly Benchmark's scorer, following NAB's own sweeper: every point gets a
 * weight from its place relative to the labelled windows (a scaled sigmoid), the first 15 % of a
 * file (at most 750 points) is probation and ignored, only the best (earliest) detection in a
 * window counts, each window with none costs the false-negative weight, and one threshold is
 * chosen for the whole corpus by sweeping every distinct score. Scores are normalised against
 * the null detector (detects nothing) and the perfect one (each window at its left edge).
 */
public final class NabScorer {

  private static final double PROBATION_PERCENT = 0.15;

  /** A point of a scored file, ready for the threshold sweep. */
  record Point(double anomalyScore, double sweepScore, String window) {}

  /** The corpus's raw score when every point scoring at or above {@code threshold} detects. */
  public record ThresholdScore(double threshold, double score) {}

  /** A detector's result on one profile. */
  public record Result(String profile, double threshold, double raw, double rawNull,
      double rawPerfect, double normalised) {}

  private final NabCorpus.Profile profile;

  public NabScorer(NabCorpus.Profile profile) {
    this.profile = profile;
  }

  static double scaledSigmoid(double x) {
    return 2.0 / (1.0 + Math.exp(5.0 * x)) - 1.0;
  }

  static int probationLength(int rows) {
    return (int) Math.min(Math.floor(PROBATION_PERCENT * rows), PROBATION_PERCENT * 5000);
  }

  /**
   * Weights every point of one file; probationary points are left out. Window names are unique
   * across files, since the sweep keeps one entry per window for the whole corpus.
   */
  List<Point> sweepPoints(String file, List<LocalDateTime> timestamps, double[] scores,
      List<NabCorpus.Window> windows) {
    if (timestamps.size() != scores.length) {
      throw new IllegalArgumentException(file + ": " + scores.length + " scores for "
          + timestamps.size() + " points");
    }
    int rows = timestamps.size();
    int probation = probationLength(rows);
    double maxTp = scaledSigmoid(-1.0);
    List<Point> points = new ArrayList<>(rows);
    int next = 0;
    int[] current = null;
    int[] previous = null;
    String currentName = null;
    for (int i = 0; i < rows; i++) {
      LocalDateTime t = timestamps.get(i);
      if (current == null && next < windows.size() && !t.isBefore(windows.get(next).start())) {
        current = indexRange(timestamps, windows.get(next), file);
        currentName = file + "#" + next;
        next++;
      }
      double weighted;
      String window = null;
      if (current != null && i >= current[0] && i <= current[1]) {
        int width = current[1] - current[0] + 1;
        double position = -(current[1] - i + 1) / (double) width;
        weighted = scaledSigmoid(position) * profile.tpWeight() / maxTp;
        window = currentName;
      } else if (previous == null) {
        weighted = -1.0 * profile.fpWeight();
      } else {
        double past = Math.abs(previous[1] - i) / (double) (previous[1] - previous[0]);
        weighted = scaledSigmoid(past) * profile.fpWeight();
      }
      if (i >= probation) {
        points.add(new Point(scores[i], weighted, window));
      }
      if (current != null && i == current[1]) {
        previous = current;
        current = null;
      }
    }
    return points;
  }

  private static int[] indexRange(List<LocalDateTime> ts, NabCorpus.Window w, String file) {
    int start = -1;
    int end = -1;
    for (int i = 0; i < ts.size(); i++) {
      if (start < 0 && !ts.get(i).isBefore(w.start())) {
        start = i;
      }
      if (!ts.get(i).isAfter(w.end())) {
        end = i;
      }
    }
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(file + ": window " + w + " holds no point");
    }
    return new int[] {start, end};
  }

  /**
   * The corpus score at every distinct threshold, highest first, starting above 1 where
   * nothing is detected (NAB's calcScoreByThreshold).
   */
  List<ThresholdScore> scoresByThreshold(List<Point> all) {
    List<Point> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingDouble(Point::anomalyScore).reversed());
    Map<String, Double> windowParts = new HashMap<>();
    for (Point p : sorted) {
      if (p.window() != null) {
        windowParts.put(p.window(), -profile.fnWeight());
      }
    }
    double windowSum = windowParts.values().stream().mapToDouble(Double::doubleValue).sum();
    double fp = 0;
    double threshold = 1.1;
    List<ThresholdScore> out = new ArrayList<>();
    for (Point p : sorted) {
      if (p.anomalyScore() != threshold) {
        out.add(new ThresholdScore(threshold, fp + windowSum));
        threshold = p.anomalyScore();
      }
      if (p.window() == null) {
        fp += p.sweepScore();
      } else {
        double before = windowParts.get(p.window());
        if (p.sweepScore() > before) {
          windowParts.put(p.window(), p.sweepScore());
          windowSum += p.sweepScore() - before;
        }
      }
    }
    out.add(new ThresholdScore(threshold, fp + windowSum));
    return out;
  }

  /** Scores a detector on the corpus with the threshold that maximises its raw score. */
  public Result score(NabCorpus corpus, Map<String, double[]> scoresByFile) {
    return score(corpus, scoresByFile, Double.NaN);
  }

  /**
   * Scores a detector with a fixed threshold (a deployed detector's alarm level), or with the
   * best one when {@code threshold} is NaN.
   */
  public Result score(NabCorpus corpus, Map<String, double[]> scoresByFile, double threshold) {
    List<Point> all = new ArrayList<>();
    List<Point> perfect = new ArrayList<>();
    for (String key : corpus.keys()) {
      NabCorpus.Series s = corpus.series(key);
      double[] scores = scoresByFile.get(key);
      if (scores == null) {
        throw new IllegalArgumentException("no scores for " + key);
      }
      all.addAll(sweepPoints(key, s.timestamps(), scores, corpus.windows(key)));
      perfect.addAll(sweepPoints(key, s.timestamps(), perfectScores(s, corpus.windows(key)),
          corpus.windows(key)));
    }
    ThresholdScore best = Double.isNaN(threshold) ? best(scoresByThreshold(all))
        : atThreshold(scoresByThreshold(all), threshold);
    double rawNull = scoresByThreshold(all).get(0).score();
    double rawPerfect = best(scoresByThreshold(perfect)).score();
    return new Result(profile.name(), best.threshold(), best.score(), rawNull, rawPerfect,
        100 * (best.score() - rawNull) / (rawPerfect - rawNull));
  }

  /** The score when every point at or above {@code threshold} detects. */
  private static ThresholdScore atThreshold(List<ThresholdScore> scores, double threshold) {
    ThresholdScore at = scores.get(0);
    for (ThresholdScore s : scores) {
      if (s.threshold() >= threshold) {
        at = s;
      }
    }
    return new ThresholdScore(threshold, at.score());
  }

  /** The highest score; among equal scores the highest threshold, as NAB's stable sort picks. */
  private static ThresholdScore best(List<ThresholdScore> scores) {
    ThresholdScore best = scores.get(0);
    for (ThresholdScore s : scores) {
      if (s.score() > best.score()) {
        best = s;
      }
    }
    return best;
  }

  private static double[] perfectScores(NabCorpus.Series s, List<NabCorpus.Window> windows) {
    double[] scores = new double[s.values().length];
    for (NabCorpus.Window w : windows) {
      for (int i = 0; i < scores.length; i++) {
        if (!s.timestamps().get(i).isBefore(w.start())) {
          scores[i] = 1.0;
          break;
        }
      }
    }
    return scores;
  }
}
