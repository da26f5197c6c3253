package io.vigil.receiver.alertmanager.internal;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.vigil.pdata.AnomalyRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a webhook payload into anomaly records ({@link AnomalyRecord}), one per alert, so the
 * incidents exporter groups alerts with Vigil's own anomalies:
 *
 * <ul>
 *   <li>service: the alert's {@code service}, {@code service_name} or {@code job} label, else the
 *       group's common label of those names, else {@code unknown_service};
 *   <li>kind {@code alertmanager}, source {@code alerts}, and the alertname as the series, so
 *       one alert rule on one service is one signature (it groups, and reopens on recurrence);
 *   <li>window: from {@code startsAt} to {@code startsAt} while firing, so the repeats
 *       Alertmanager sends every {@code repeat_interval} are one key (de-duplicated); to
 *       {@code endsAt} once resolved, marked {@code vigil.anomaly.resolved};
 *   <li>score from the {@code severity} label: critical 1, error/major/high 0.75, warning 0.5,
 *       anything else 0 (the incidents exporter weighs scored records 0.5 + 0.4 × score);
 *   <li>body: alertname, summary, description and the other annotations, as one line.
 * </ul>
 */
public final class AlertRecords {

  public static final String SCOPE = "io.vigil.alertmanager";
  public static final String KIND = "alertmanager";
  private static final List<String> SERVICE_LABELS = List.of("service", "service_name", "job");

  private AlertRecords() {}

  public static ExportLogsServiceRequest of(WebhookPayload p, Instant received) {
    ExportLogsServiceRequest.Builder out = ExportLogsServiceRequest.newBuilder();
    for (Alert a : p.alerts()) {
      String service = service(a.labels(), p.commonLabels());
      out.addResourceLogs(ResourceLogs.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
          .addScopeLogs(ScopeLogs.newBuilder()
              .setScope(InstrumentationScope.newBuilder().setName(SCOPE))
              .addLogRecords(record(a, p, service, received))));
    }
    return out.build();
  }

  static LogRecord record(Alert a, WebhookPayload p, String service, Instant received) {
    long start = nanos(a.startsAt());
    long end = a.resolved() ? nanos(a.endsAt()) : start;
    String severity = a.labels().getOrDefault("severity", "");
    LogRecord.Builder r = LogRecord.newBuilder()
        .setTimeUnixNano(end)
        .setObservedTimeUnixNano(nanos(received))
        .setSeverityNumber(severityNumber(severity, a.resolved()))
        .setSeverityText(severity)
        .setBody(AnyValue.newBuilder().setStringValue(body(a)))
        .addAttributes(kv(AnomalyRecord.KIND, KIND))
        .addAttributes(kv(AnomalyRecord.SOURCE, AnomalyRecord.SOURCE_ALERTS))
        .addAttributes(kv(AnomalyRecord.SERIES, a.alertname()))
        .addAttributes(kv("service.name", service))
        .addAttributes(KeyValue.newBuilder().setKey(AnomalyRecord.SCORE)
            .setValue(AnyValue.newBuilder().setDoubleValue(score(severity))))
        .addAttributes(KeyValue.newBuilder().setKey(AnomalyRecord.WINDOW_START)
            .setValue(AnyValue.newBuilder().setIntValue(start)))
        .addAttributes(KeyValue.newBuilder().setKey(AnomalyRecord.WINDOW_END)
            .setValue(AnyValue.newBuilder().setIntValue(end)))
        .addAttributes(KeyValue.newBuilder().setKey(AnomalyRecord.RESOLVED)
            .setValue(AnyValue.newBuilder().setBoolValue(a.resolved())));
    optional(r, "alertmanager.fingerprint", a.fingerprint());
    optional(r, "alertmanager.generator_url", a.generatorUrl());
    optional(r, "alertmanager.receiver", p.receiver());
    optional(r, "alertmanager.group_key", p.groupKey());
    optional(r, "alertmanager.external_url", p.externalUrl());
    a.labels().forEach((k, v) -> r.addAttributes(kv("alertmanager.labels." + k, v)));
    a.annotations().forEach((k, v) -> r.addAttributes(kv("alertmanager.annotations." + k, v)));
    return r.build();
  }

  static String service(Map<String, String> labels, Map<String, String> common) {
    for (Map<String, String> m : List.of(labels, common)) {
      for (String l : SERVICE_LABELS) {
        String v = m.get(l);
        if (v != null && !v.isBlank()) {
          return v;
        }
      }
    }
    return "unknown_service";
  }

  static double score(String severity) {
    return switch (severity.toLowerCase(Locale.ROOT)) {
      case "critical", "page" -> 1.0;
      case "error", "major", "high" -> 0.75;
      case "warning", "warn" -> 0.5;
      default -> 0.0;
    };
  }

  private static SeverityNumber severityNumber(String severity, boolean resolved) {
    if (resolved) {
      return SeverityNumber.SEVERITY_NUMBER_INFO;
    }
    double s = score(severity);
    return s >= 1 ? SeverityNumber.SEVERITY_NUMBER_FATAL
        : s >= 0.75 ? SeverityNumber.SEVERITY_NUMBER_ERROR
        : s >= 0.5 ? SeverityNumber.SEVERITY_NUMBER_WARN : SeverityNumber.SEVERITY_NUMBER_INFO;
  }

  /** {@code [resolved] alertname: summary — description; other: value}. */
  static String body(Alert a) {
    StringBuilder b = new StringBuilder();
    if (a.resolved()) {
      b.append("[resolved] ");
    }
    b.append(a.alertname());
    List<String> parts = new ArrayList<>();
    Map<String, String> ann = a.annotations();
    if (ann.containsKey("summary")) {
      parts.add(ann.get("summary"));
    }
    if (ann.containsKey("description")) {
      parts.add(ann.get("description"));
    }
    ann.forEach((k, v) -> {
      if (!k.equals("summary") && !k.equals("description")) {
        parts.add(k + ": " + v);
      }
    });
    if (!parts.isEmpty()) {
      b.append(": ").append(String.join(" — ", parts));
    }
    return b.toString();
  }

  private static void optional(LogRecord.Builder r, String key, String value) {
    if (value != null && !value.isEmpty()) {
      r.addAttributes(kv(key, value));
    }
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
