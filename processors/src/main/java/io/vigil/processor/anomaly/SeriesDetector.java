package io.vigil.processor.anomaly;

/**
 * Scores one metric series online: each call takes the next point and returns how anomalous it
 * is, in [0, 1], from what came before it only (no look-ahead). One instance per series.
 */
public interface SeriesDetector {

  double update(long timeUnixNanos, double value);
}
