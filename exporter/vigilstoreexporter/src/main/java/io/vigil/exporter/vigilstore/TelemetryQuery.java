package io.vigil.exporter.vigilstore;

import java.util.List;
import java.util.Optional;

/**
 * The questions the console asks of stored telemetry, answered the same way by the embedded
 * Lucene store and by Elasticsearch / OpenSearch indices the {@code elasticsearch} exporter wrote.
 */
public interface TelemetryQuery {

  /** The trace's spans and logs, or empty when no span or log carries that ID. */
  Optional<TraceView> trace(String traceId);

  /** Log records matching every condition of the search, newest first. */
  List<StoredLog> logs(LogSearch search);

  /**
   * Log templates of the range (of one service when {@code service} is not empty), most
   * frequent first, each with a sparkline of {@code buckets} counts.
   */
  List<LogPattern> patterns(TimeRange range, String service, int buckets, int limit);

  /** Every service with requests in the range, by name. */
  List<ServiceSummary> services(TimeRange range);

  /** One service's requests, errors and latencies per bucket of the range. */
  ServiceSeries series(String service, TimeRange range, int buckets);

  /**
   * The metrics a service sent in the range, by name; anomaly scores are not listed as metrics
   * of their own but mark the metric they score.
   */
  List<MetricSummary> metrics(String service, TimeRange range);

  /** One metric of a service per bucket, at most {@code maxLines} attribute sets. */
  MetricChart metricChart(String service, String metric, TimeRange range, int buckets,
      int maxLines);
}
