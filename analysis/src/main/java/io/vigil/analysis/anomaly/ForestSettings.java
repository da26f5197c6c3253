package io.vigil.analysis.anomaly;

/**
 * How the Isolation Forest detector learns and alarms; the {@code detector::isolation_forest}
 * block of the metrics anomaly connector's config (used when {@code algorithm} is
 * {@code isolation_forest}). Its NAB figures are in docs/evaluation.md.
 */
public class ForestSettings {
  /** Consecutive values in one feature vector. */
  public int shingle = 4;
  /** Feature vectors kept to fit the forest on. */
  public int history = 2000;
  /** Points seen before the first fit; the detector scores 0 until then. */
  public int firstFit = 300;
  /** Points between refits from the latest history. */
  public int refitEvery = 500;
  public int trees = 50;
  /** Rows each tree is grown from. */
  public int sampleSize = 256;
  /** Past forest scores a new score is ranked against; the rank is the anomaly score. */
  public int rankHistory = 2000;
  /** Raw forest score below which a point is never an alarm, whatever its rank. */
  public double minForestScore = 0.55;
  /** Rank from which a point counts as an alarm... */
  public double alarmLevel = 0.99;
  /** ...after which scores are capped at 0.5 for this many points, so one event alarms once. */
  public int restPoints = 300;
  /** A raw forest score this many times the last alarm's ends the rest early. */
  public double restBreakFactor = 1.2;
}
