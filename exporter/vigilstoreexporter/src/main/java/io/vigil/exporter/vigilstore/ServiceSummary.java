package io.vigil.exporter.vigilstore;

/**
 * A service's requests in a time range, from its entry spans (see {@link StoredSpan#entry()}):
 * how many, how many failed, per second, and latency percentiles in milliseconds.
 */
public record ServiceSummary(
    String service, long requests, long errors, double ratePerSecond, double errorRate,
    double p50Ms, double p95Ms, double p99Ms) {}
