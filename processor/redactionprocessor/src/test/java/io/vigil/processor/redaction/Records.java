package io.vigil.processor.redaction;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One-record requests of each signal, and their attributes read back as a map. */
final class Records {

  private Records() {}

  static KeyValue str(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  static KeyValue num(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  static ExportTraceServiceRequest span(KeyValue... attrs) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName("checkout")
            .addAllAttributes(List.of(attrs))))).build();
  }

  static ExportLogsServiceRequest log(String body, KeyValue... attrs) {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()
            .setBody(AnyValue.newBuilder().setStringValue(body))
            .addAllAttributes(List.of(attrs))))).build();
  }

  static ExportMetricsServiceRequest point(KeyValue... attrs) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("logins")
            .setSum(Sum.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(1)
                .addAllAttributes(List.of(attrs))))))).build();
  }

  static Map<String, Object> attrs(List<KeyValue> kvs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      out.put(kv.getKey(), v.hasIntValue() ? (Object) v.getIntValue() : v.getStringValue());
    }
    return out;
  }

  static Map<String, Object> attrs(ExportTraceServiceRequest r) {
    return attrs(r.getResourceSpans(0).getScopeSpans(0).getSpans(0).getAttributesList());
  }

  static LogRecord logRecord(ExportLogsServiceRequest r) {
    return r.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
  }

  static Map<String, Object> attrs(ExportMetricsServiceRequest r) {
    return attrs(r.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getSum()
        .getDataPoints(0).getAttributesList());
  }
}
