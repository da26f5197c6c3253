package io.vigil.exporter.vigilstore;

import java.util.Map;

/**
 * A metric data point reduced to what the console charts: a number for gauges and sums; for
 * histograms the count, sum and the 50th / 99th percentiles estimated from the buckets
 * ({@code value} is then the mean).
 */
public record StoredMetricPoint(
    String name,
    String service,
    Map<String, Object> attributes,
    long timeNanos,
    double value,
    long count,
    double sum,
    double p50,
    double p99) {}
