package io.vigil.exporter.vigilstore;

import java.util.List;

/** A service's requests per bucket of a time range; buckets without requests are listed too. */
public record ServiceSeries(String service, long bucketNanos, List<Bucket> buckets) {

  /**
   * One bucket. {@code exemplarTraceId} is the trace of the bucket's slowest request, so a
   * latency point on a chart leads to a trace that explains it; empty when there were none.
   */
  public record Bucket(
      long startNanos, long requests, long errors, double p50Ms, double p95Ms, double p99Ms,
      String exemplarTraceId, double exemplarMs) {}
}
