package io.vigil.testing;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns OTLP requests into one self-contained message per item (its resource and scope kept
 * around it), so two streams can be compared item by item whatever the batching in between.
 */
public final class Flatten {

  private Flatten() {}

  public static List<ExportTraceServiceRequest> spans(List<ExportTraceServiceRequest> reqs) {
    List<ExportTraceServiceRequest> out = new ArrayList<>();
    for (ExportTraceServiceRequest r : reqs) {
      for (ResourceSpans rs : r.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          ss.getSpansList().forEach(span -> out.add(ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(rs.toBuilder().clearScopeSpans()
                  .addScopeSpans(ss.toBuilder().clearSpans().addSpans(span)))
              .build()));
        }
      }
    }
    return out;
  }

  public static List<ExportLogsServiceRequest> logs(List<ExportLogsServiceRequest> reqs) {
    List<ExportLogsServiceRequest> out = new ArrayList<>();
    for (ExportLogsServiceRequest r : reqs) {
      for (ResourceLogs rl : r.getResourceLogsList()) {
        for (ScopeLogs sl : rl.getScopeLogsList()) {
          sl.getLogRecordsList().forEach(lr -> out.add(ExportLogsServiceRequest.newBuilder()
              .addResourceLogs(rl.toBuilder().clearScopeLogs()
                  .addScopeLogs(sl.toBuilder().clearLogRecords().addLogRecords(lr)))
              .build()));
        }
      }
    }
    return out;
  }

  /** One message per metric (with all its points: the batch processor may split points). */
  public static List<ExportMetricsServiceRequest> metrics(List<ExportMetricsServiceRequest> reqs) {
    List<ExportMetricsServiceRequest> out = new ArrayList<>();
    for (ExportMetricsServiceRequest r : reqs) {
      for (ResourceMetrics rm : r.getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          sm.getMetricsList().forEach(m -> out.add(ExportMetricsServiceRequest.newBuilder()
              .addResourceMetrics(rm.toBuilder().clearScopeMetrics()
                  .addScopeMetrics(sm.toBuilder().clearMetrics().addMetrics(m)))
              .build()));
        }
      }
    }
    return out;
  }
}
