package io.vigil.core;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges export requests into one and cuts one into pieces of at most n items (the batch
 * processor and the exporters' sending queues both do), keeping every item's
 * resource and scope around it. Item-exact: nothing is lost or duplicated.
 */
public final class RequestSplitter {

  private RequestSplitter() {}

  @SuppressWarnings("unchecked")
  public static <T extends Message> T merge(Signal<T> signal, List<T> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    if (signal == Signal.TRACES) {
      var b = ExportTraceServiceRequest.newBuilder();
      parts.forEach(p -> b.addAllResourceSpans(((ExportTraceServiceRequest) p).getResourceSpansList()));
      return (T) b.build();
    }
    if (signal == Signal.METRICS) {
      var b = ExportMetricsServiceRequest.newBuilder();
      parts.forEach(p -> b.addAllResourceMetrics(
          ((ExportMetricsServiceRequest) p).getResourceMetricsList()));
      return (T) b.build();
    }
    var b = ExportLogsServiceRequest.newBuilder();
    parts.forEach(p -> b.addAllResourceLogs(((ExportLogsServiceRequest) p).getResourceLogsList()));
    return (T) b.build();
  }

  /** Pieces of at most {@code max} items, in order. */
  @SuppressWarnings("unchecked")
  public static <T extends Message> List<T> split(Signal<T> signal, T request, int max) {
    if (max <= 0 || signal.itemCount(request) <= max) {
      return List.of(request);
    }
    if (signal == Signal.TRACES) {
      return (List<T>) splitSpans((ExportTraceServiceRequest) request, max);
    }
    if (signal == Signal.METRICS) {
      return (List<T>) splitMetrics((ExportMetricsServiceRequest) request, max);
    }
    return (List<T>) splitLogs((ExportLogsServiceRequest) request, max);
  }

  private static List<ExportTraceServiceRequest> splitSpans(ExportTraceServiceRequest r, int max) {
    List<ExportTraceServiceRequest> out = new ArrayList<>();
    ExportTraceServiceRequest.Builder cur = ExportTraceServiceRequest.newBuilder();
    int n = 0;
    for (ResourceSpans rs : r.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        int i = 0;
        while (i < ss.getSpansCount()) {
          if (n == max) {
            out.add(cur.build());
            cur = ExportTraceServiceRequest.newBuilder();
            n = 0;
          }
          int take = Math.min(max - n, ss.getSpansCount() - i);
          cur.addResourceSpans(rs.toBuilder().clearScopeSpans().addScopeSpans(
              ss.toBuilder().clearSpans().addAllSpans(ss.getSpansList().subList(i, i + take))));
          i += take;
          n += take;
        }
      }
    }
    if (n > 0) {
      out.add(cur.build());
    }
    return out;
  }

  private static List<ExportLogsServiceRequest> splitLogs(ExportLogsServiceRequest r, int max) {
    List<ExportLogsServiceRequest> out = new ArrayList<>();
    ExportLogsServiceRequest.Builder cur = ExportLogsServiceRequest.newBuilder();
    int n = 0;
    for (ResourceLogs rl : r.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        int i = 0;
        while (i < sl.getLogRecordsCount()) {
          if (n == max) {
            out.add(cur.build());
            cur = ExportLogsServiceRequest.newBuilder();
            n = 0;
          }
          int take = Math.min(max - n, sl.getLogRecordsCount() - i);
          cur.addResourceLogs(rl.toBuilder().clearScopeLogs().addScopeLogs(
              sl.toBuilder().clearLogRecords()
                  .addAllLogRecords(sl.getLogRecordsList().subList(i, i + take))));
          i += take;
          n += take;
        }
      }
    }
    if (n > 0) {
      out.add(cur.build());
    }
    return out;
  }

  private static List<ExportMetricsServiceRequest> splitMetrics(
      ExportMetricsServiceRequest r, int max) {
    List<ExportMetricsServiceRequest> out = new ArrayList<>();
    ExportMetricsServiceRequest.Builder cur = ExportMetricsServiceRequest.newBuilder();
    int n = 0;
    for (ResourceMetrics rm : r.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          int points = Signal.dataPoints(m);
          if (points == 0) {
            // No items to count, but the metric itself is kept.
            cur.addResourceMetrics(rm.toBuilder().clearScopeMetrics().addScopeMetrics(
                sm.toBuilder().clearMetrics().addMetrics(m)));
            continue;
          }
          int i = 0;
          while (i < points) {
            if (n == max) {
              out.add(cur.build());
              cur = ExportMetricsServiceRequest.newBuilder();
              n = 0;
            }
            int take = Math.min(max - n, points - i);
            cur.addResourceMetrics(rm.toBuilder().clearScopeMetrics().addScopeMetrics(
                sm.toBuilder().clearMetrics().addMetrics(slice(m, i, i + take))));
            i += take;
            n += take;
          }
        }
      }
    }
    if (n > 0) {
      out.add(cur.build());
    }
    return out;
  }

  /** The same metric (name, unit, type, temporality) with points [from, to). */
  static Metric slice(Metric m, int from, int to) {
    Metric.Builder b = m.toBuilder();
    switch (m.getDataCase()) {
      case GAUGE:
        b.getGaugeBuilder().clearDataPoints()
            .addAllDataPoints(m.getGauge().getDataPointsList().subList(from, to));
        break;
      case SUM:
        b.getSumBuilder().clearDataPoints()
            .addAllDataPoints(m.getSum().getDataPointsList().subList(from, to));
        break;
      case HISTOGRAM:
        b.getHistogramBuilder().clearDataPoints()
            .addAllDataPoints(m.getHistogram().getDataPointsList().subList(from, to));
        break;
      case EXPONENTIAL_HISTOGRAM:
        b.getExponentialHistogramBuilder().clearDataPoints()
            .addAllDataPoints(m.getExponentialHistogram().getDataPointsList().subList(from, to));
        break;
      case SUMMARY:
        b.getSummaryBuilder().clearDataPoints()
            .addAllDataPoints(m.getSummary().getDataPointsList().subList(from, to));
        break;
      default:
        break;
    }
    return b.build();
  }
}
