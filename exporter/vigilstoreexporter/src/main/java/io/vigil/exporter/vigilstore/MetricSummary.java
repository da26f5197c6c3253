package io.vigil.exporter.vigilstore;

/**
 * A metric a service sent in a range.
 *
 * @param points its data points in the range
 * @param series distinct attribute sets (lines on its chart)
 * @param scored whether anomaly scores of it are stored (the {@code anomaly} connector's)
 */
public record MetricSummary(String name, long points, int series, boolean scored) {}
