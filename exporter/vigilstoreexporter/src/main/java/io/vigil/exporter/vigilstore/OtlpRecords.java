package io.vigil.exporter.vigilstore;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vigil.pdata.AnomalyRecord;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns OTLP export requests into the records the store keeps. */
final class OtlpRecords {

  private static final HexFormat HEX = HexFormat.of();

  private OtlpRecords() {}

  static List<StoredSpan> spans(ExportTraceServiceRequest request) {
    List<StoredSpan> out = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      String service = service(rs.getResource());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          List<StoredSpan.Event> events = new ArrayList<>(s.getEventsCount());
          for (Span.Event e : s.getEventsList()) {
            events.add(new StoredSpan.Event(e.getName(), e.getTimeUnixNano(),
                attributes(e.getAttributesList())));
          }
          out.add(new StoredSpan(hex(s.getTraceId()), hex(s.getSpanId()),
              hex(s.getParentSpanId()), service, s.getName(), kind(s.getKind()),
              status(s.getStatus().getCode()), s.getStatus().getMessage(),
              s.getStartTimeUnixNano(), s.getEndTimeUnixNano(),
              attributes(s.getAttributesList()), events));
        }
      }
    }
    return out;
  }

  static List<StoredLog> logs(ExportLogsServiceRequest request) {
    List<StoredLog> out = new ArrayList<>();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      String service = service(rl.getResource());
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord r : sl.getLogRecordsList()) {
          Map<String, Object> attributes = attributes(r.getAttributesList());
          Object templateId = attributes.remove(AnomalyRecord.TEMPLATE_ID);
          Object template = attributes.remove(AnomalyRecord.TEMPLATE);
          long time = r.getTimeUnixNano() != 0 ? r.getTimeUnixNano() : r.getObservedTimeUnixNano();
          out.add(new StoredLog(time, service, r.getSeverityNumberValue(), r.getSeverityText(),
              r.hasBody() ? text(r.getBody()) : "", hex(r.getTraceId()), hex(r.getSpanId()),
              templateId == null ? "" : templateId.toString(),
              template == null ? "" : template.toString(), attributes));
        }
      }
    }
    return out;
  }

  static List<StoredMetricPoint> metricPoints(ExportMetricsServiceRequest request) {
    List<StoredMetricPoint> out = new ArrayList<>();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      String service = service(rm.getResource());
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsList()
                .forEach(p -> out.add(number(m.getName(), service, p)));
            case SUM -> m.getSum().getDataPointsList()
                .forEach(p -> out.add(number(m.getName(), service, p)));
            case HISTOGRAM -> m.getHistogram().getDataPointsList()
                .forEach(p -> out.add(histogram(m.getName(), service, p)));
            // Exponential histograms and summaries are not charted by the console yet.
            default -> { }
          }
        }
      }
    }
    return out;
  }

  private static StoredMetricPoint number(String name, String service, NumberDataPoint p) {
    double v = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
    return new StoredMetricPoint(name, service, attributes(p.getAttributesList()),
        p.getTimeUnixNano(), v, 1, v, v, v);
  }

  private static StoredMetricPoint histogram(String name, String service, HistogramDataPoint p) {
    double mean = p.getCount() == 0 ? 0 : p.getSum() / p.getCount();
    return new StoredMetricPoint(name, service, attributes(p.getAttributesList()),
        p.getTimeUnixNano(), mean, p.getCount(), p.getSum(), quantile(p, 0.5), quantile(p, 0.99));
  }

  /**
   * The quantile's bucket upper bound (the lower bound for the overflow bucket), as Prometheus
   * would without interpolation: cheap, and never claims more precision than the buckets have.
   */
  static double quantile(HistogramDataPoint p, double q) {
    if (p.getCount() == 0 || p.getBucketCountsCount() == 0) {
      return 0;
    }
    double rank = q * p.getCount();
    long seen = 0;
    for (int i = 0; i < p.getBucketCountsCount(); i++) {
      seen += p.getBucketCounts(i);
      if (seen >= rank) {
        if (i < p.getExplicitBoundsCount()) {
          return p.getExplicitBounds(i);
        }
        return p.getExplicitBoundsCount() == 0 ? p.getSum() / p.getCount()
            : p.getExplicitBounds(p.getExplicitBoundsCount() - 1);
      }
    }
    return p.getExplicitBoundsCount() == 0 ? 0 : p.getExplicitBounds(p.getExplicitBoundsCount() - 1);
  }

  static String service(Resource resource) {
    for (KeyValue kv : resource.getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        return text(kv.getValue());
      }
    }
    return "unknown_service";
  }

  static String hex(ByteString id) {
    if (id.isEmpty()) {
      return "";
    }
    for (int i = 0; i < id.size(); i++) {
      if (id.byteAt(i) != 0) {
        return HEX.formatHex(id.toByteArray());
      }
    }
    return "";
  }

  static Map<String, Object> attributes(List<KeyValue> kvs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), value(kv.getValue()));
    }
    return out;
  }

  static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BYTES_VALUE -> HEX.formatHex(v.getBytesValue().toByteArray());
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(OtlpRecords::value).toList();
      case KVLIST_VALUE -> attributes(v.getKvlistValue().getValuesList());
      default -> null;
    };
  }

  static String text(AnyValue v) {
    Object o = value(v);
    return o == null ? "" : o.toString();
  }

  private static String kind(Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_SERVER -> "server";
      case SPAN_KIND_CLIENT -> "client";
      case SPAN_KIND_PRODUCER -> "producer";
      case SPAN_KIND_CONSUMER -> "consumer";
      case SPAN_KIND_INTERNAL -> "internal";
      default -> "unspecified";
    };
  }

  private static String status(Status.StatusCode code) {
    return code == Status.StatusCode.STATUS_CODE_ERROR ? "error"
        : code == Status.StatusCode.STATUS_CODE_OK ? "ok" : "unset";
  }
}
