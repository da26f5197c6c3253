package io.vigil.exporter.incidents;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.vigil.pdata.AnomalyRecord;
import java.time.Instant;
import java.util.List;

/**
 * Anomaly records with the attribute set the producers emit (LogAnomalyDetector.toRecord and
 * MetricAnomalyEngine.event), for tests that need exact times and traces.
 */
final class AnomalyRecords {

  private AnomalyRecords() {}

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** A log anomaly as logtemplate emits it, window [at - 1m, at). */
  static LogRecord log(String kind, String service, String templateId, String template,
      Instant at, String... traces) {
    LogRecord.Builder r = LogRecord.newBuilder().setTimeUnixNano(nanos(at))
        .setEventName(AnomalyRecord.LOG_EVENT)
        .setBody(AnyValue.newBuilder().setStringValue(service + " logged a message of a kind"
            + " never seen from it: " + template))
        .addAttributes(str(AnomalyRecord.KIND, kind))
        .addAttributes(str(AnomalyRecord.SOURCE, AnomalyRecord.SOURCE_LOGS))
        .addAttributes(str("service.name", service))
        .addAttributes(str(AnomalyRecord.TEMPLATE_ID, templateId))
        .addAttributes(str(AnomalyRecord.TEMPLATE, template))
        .addAttributes(KeyValue.newBuilder().setKey("vigil.anomaly.count")
            .setValue(AnyValue.newBuilder().setIntValue(1)))
        .addAttributes(num("vigil.anomaly.expected", 0))
        .addAttributes(integer(AnomalyRecord.WINDOW_START, nanos(at.minusSeconds(60))))
        .addAttributes(integer(AnomalyRecord.WINDOW_END, nanos(at)));
    traces(r, traces);
    return r.build();
  }

  /** A log anomaly whose revealing record had {@code severityNumber} (9 INFO, 13 WARN, 17 ERROR). */
  static LogRecord log(String kind, String service, String templateId, String template,
      Instant at, int severityNumber, String... traces) {
    return log(kind, service, templateId, template, at, traces).toBuilder()
        .addAttributes(integer(AnomalyRecord.SEVERITY_NUMBER, severityNumber)).build();
  }

  /** A metric anomaly as the anomaly connector emits it. */
  static LogRecord metric(String service, String series, double score, Instant at,
      String... traces) {
    LogRecord.Builder r = LogRecord.newBuilder().setTimeUnixNano(nanos(at))
        .setEventName(AnomalyRecord.METRIC_EVENT)
        .setBody(AnyValue.newBuilder().setStringValue(String.format(
            "%s: %s is anomalous (score %.3f, value %.4g)", service, series, score, 1.5)))
        .addAttributes(str(AnomalyRecord.KIND, "metric_anomaly"))
        .addAttributes(str(AnomalyRecord.SOURCE, AnomalyRecord.SOURCE_METRICS))
        .addAttributes(str("vigil.anomaly.model", "builtin"))
        .addAttributes(str("service.name", service))
        .addAttributes(str("metric.name", series.replaceAll("\\{.*", "")))
        .addAttributes(str(AnomalyRecord.SERIES, series))
        .addAttributes(num(AnomalyRecord.SCORE, score))
        .addAttributes(num("vigil.anomaly.value", 1.5))
        .addAttributes(integer(AnomalyRecord.WINDOW_START, nanos(at.minusSeconds(30))))
        .addAttributes(integer(AnomalyRecord.WINDOW_END, nanos(at)));
    traces(r, traces);
    return r.build();
  }

  static ExportLogsServiceRequest batch(LogRecord... records) {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(str("service.name", "gateway")))
        .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records)))).build();
  }

  private static void traces(LogRecord.Builder r, String... traces) {
    if (traces.length > 0) {
      ArrayValue.Builder ids = ArrayValue.newBuilder();
      for (String t : traces) {
        ids.addValues(AnyValue.newBuilder().setStringValue(t));
      }
      r.addAttributes(KeyValue.newBuilder().setKey(AnomalyRecord.TRACE_IDS)
          .setValue(AnyValue.newBuilder().setArrayValue(ids)));
    }
  }

  static KeyValue str(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  private static KeyValue num(String k, double v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setDoubleValue(v))
        .build();
  }

  private static KeyValue integer(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v))
        .build();
  }
}
