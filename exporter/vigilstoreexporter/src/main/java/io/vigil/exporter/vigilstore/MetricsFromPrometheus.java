package io.vigil.exporter.vigilstore;

import java.util.List;
import java.util.Optional;

/**
 * A {@link TelemetryQuery} whose metric questions go to Prometheus and everything else to
 * {@code spansAndLogs} (the embedded store or Elasticsearch/OpenSearch): the cluster-scale
 * console, where each signal lives in the backend made for it.
 */
final class MetricsFromPrometheus implements TelemetryQuery {
  private final TelemetryQuery spansAndLogs;
  private final PrometheusMetrics metrics;

  MetricsFromPrometheus(TelemetryQuery spansAndLogs, PrometheusMetrics metrics) {
    this.spansAndLogs = spansAndLogs;
    this.metrics = metrics;
  }

  @Override
  public Optional<TraceView> trace(String traceId) {
    return spansAndLogs.trace(traceId);
  }

  @Override
  public List<StoredLog> logs(LogSearch search) {
    return spansAndLogs.logs(search);
  }

  @Override
  public List<LogPattern> patterns(TimeRange range, String service, int buckets, int limit) {
    return spansAndLogs.patterns(range, service, buckets, limit);
  }

  @Override
  public List<ServiceSummary> services(TimeRange range) {
    return spansAndLogs.services(range);
  }

  @Override
  public ServiceSeries series(String service, TimeRange range, int buckets) {
    return spansAndLogs.series(service, range, buckets);
  }

  @Override
  public List<MetricSummary> metrics(String service, TimeRange range) {
    return metrics.metrics(service, range);
  }

  @Override
  public MetricChart metricChart(String service, String metric, TimeRange range, int buckets,
      int maxLines) {
    return metrics.metricChart(service, metric, range, buckets, maxLines);
  }
}
