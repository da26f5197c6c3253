package io.vigil.analysis.anomaly;

import java.util.Map;

/**
 * Scores one metric series online: each call takes the next point and returns how anomalous it
 * is, in [0, 1], from what came before it only (no look-ahead). One instance per series.
 */
public interface SeriesDetector {

  double update(long timeUnixNanos, double value);

  /**
   * What the last {@link #update} saw, for the anomaly event: feature name to value. Names are
   * attribute keys under {@code vigil.anomaly.}; empty when the detector has nothing to say.
   */
  default Map<String, Object> explain() {
    return Map.of();
  }
}
