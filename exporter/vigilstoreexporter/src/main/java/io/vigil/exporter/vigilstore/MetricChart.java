package io.vigil.exporter.vigilstore;

import java.util.List;

/**
 * One metric of one service per bucket of a range: a line per attribute set, each with the
 * anomaly scores of its points when the store has them. Buckets without points are null.
 *
 * @param linesOmitted attribute sets beyond the chart's limit, the ones with fewest points
 */
public record MetricChart(String service, String name, long bucketNanos, List<Long> bucketStarts,
    List<Line> lines, int linesOmitted) {

  /**
   * @param series the attribute set, e.g. {@code {jvm.memory.type=heap}}; empty for none
   * @param values mean of the bucket's points (histograms: their means)
   * @param scores highest anomaly score of the bucket's points, 0 to 1; empty when unscored
   */
  public record Line(String series, List<Double> values, List<Double> scores) {}
}
