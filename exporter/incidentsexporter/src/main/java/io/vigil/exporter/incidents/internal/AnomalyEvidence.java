package io.vigil.exporter.incidents.internal;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.vigil.exporter.incidents.Evidence;
import io.vigil.pdata.AnomalyRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads an anomaly record (the {@link AnomalyRecord} contract) as evidence. */
public final class AnomalyEvidence {

  private AnomalyEvidence() {}

  /**
   * The evidence {@code record} carries, or null when it is not an anomaly record (no
   * {@code vigil.anomaly.kind}).
   *
   * @param resourceService the {@code service.name} of the record's resource, used when the
   *     record has none of its own
   */
  public static Evidence read(LogRecord record, String resourceService, Instant received) {
    List<KeyValue> attrs = record.getAttributesList();
    String kind = string(attrs, AnomalyRecord.KIND);
    if (kind == null) {
      return null;
    }
    String service = string(attrs, "service.name");
    if (service == null) {
      service = resourceService == null ? "unknown_service" : resourceService;
    }
    String source = string(attrs, AnomalyRecord.SOURCE);
    String series = string(attrs, AnomalyRecord.SERIES);
    String templateId = string(attrs, AnomalyRecord.TEMPLATE_ID);
    long time = record.getTimeUnixNano() != 0 ? record.getTimeUnixNano()
        : record.getObservedTimeUnixNano() != 0 ? record.getObservedTimeUnixNano()
        : nanos(received);
    long end = integer(attrs, AnomalyRecord.WINDOW_END, time);
    long start = integer(attrs, AnomalyRecord.WINDOW_START, end);
    Double score = number(attrs, AnomalyRecord.SCORE);
    List<String> traces = new ArrayList<>();
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(AnomalyRecord.TRACE_IDS)) {
        for (AnyValue v : kv.getValue().getArrayValue().getValuesList()) {
          if (!v.getStringValue().isEmpty() && !traces.contains(v.getStringValue())) {
            traces.add(v.getStringValue());
          }
        }
      }
    }
    // What the anomaly is about: a metric anomaly is about its series, a log anomaly about its
    // template; a detector that names neither is about its kind on the service.
    String subject = series != null ? "series:" + series
        : templateId != null ? "template:" + templateId : "kind:" + kind;
    String signature = service + "|" + subject;
    String key = kind + "|" + signature + "|" + start + "|" + end;
    return new Evidence(key, signature, kind,
        source != null ? source : series != null ? AnomalyRecord.SOURCE_METRICS
            : AnomalyRecord.SOURCE_LOGS,
        service, series, templateId, string(attrs, AnomalyRecord.TEMPLATE),
        record.getBody().getStringValue(), score, Instant.ofEpochSecond(0, start),
        Instant.ofEpochSecond(0, end), traces, received, null);
  }

  /**
   * {@code record} as the opening policy weighs it, or null when it is not an anomaly record;
   * the severity is {@code vigil.anomaly.severity_number} (null when absent).
   */
  public static AnomalySignal signal(LogRecord record, String resourceService, Instant received) {
    Evidence e = read(record, resourceService, received);
    if (e == null) {
      return null;
    }
    Double severity = number(record.getAttributesList(), AnomalyRecord.SEVERITY_NUMBER);
    return new AnomalySignal(e, severity == null ? null : severity.intValue());
  }

  private static String string(List<KeyValue> attrs, String key) {
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(key) && kv.getValue().hasStringValue()) {
        return kv.getValue().getStringValue();
      }
    }
    return null;
  }

  private static long integer(List<KeyValue> attrs, String key, long otherwise) {
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(key) && kv.getValue().hasIntValue()) {
        return kv.getValue().getIntValue();
      }
    }
    return otherwise;
  }

  private static Double number(List<KeyValue> attrs, String key) {
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(key)) {
        AnyValue v = kv.getValue();
        if (v.hasDoubleValue()) {
          return v.getDoubleValue();
        }
        if (v.hasIntValue()) {
          return (double) v.getIntValue();
        }
      }
    }
    return null;
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
