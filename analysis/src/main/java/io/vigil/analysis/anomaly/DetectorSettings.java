package io.vigil.analysis.anomaly;

/** The {@code detector} block: which built-in detector scores each series, and its settings. */
public class DetectorSettings {
  public static final String NEIGHBOURS = "neighbours";
  public static final String ISOLATION_FOREST = "isolation_forest";

  /** {@code neighbours} (default) or {@code isolation_forest}. */
  public String algorithm = NEIGHBOURS;
  public NeighbourSettings neighbours = new NeighbourSettings();
  public ForestSettings isolationForest = new ForestSettings();

  /** The score from which the chosen detector alarms. */
  public double alarmLevel() {
    return ISOLATION_FOREST.equals(algorithm) ? isolationForest.alarmLevel
        : neighbours.alarmLevel;
  }

  /** A detector for one series; {@code refitter} runs the forest's refits. */
  public SeriesDetector create(java.util.concurrent.Executor refitter) {
    return ISOLATION_FOREST.equals(algorithm)
        ? new ShingleForestDetector(isolationForest, refitter)
        : new NeighbourDetector(neighbours);
  }
}
