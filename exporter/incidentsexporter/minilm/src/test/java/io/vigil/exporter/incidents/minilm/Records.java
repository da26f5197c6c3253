package io.vigil.exporter.incidents.minilm;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.vigil.pdata.AnomalyRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Anomaly records as the logtemplate processor emits them, and the shared post-mortems. */
final class Records {

  private Records() {}

  /** A new-template record, window [at - 1m, at), with the body logtemplate writes. */
  static ExportLogsServiceRequest newTemplate(String service, String templateId,
      String template, Instant at) {
    LogRecord r = LogRecord.newBuilder().setTimeUnixNano(nanos(at))
        .setEventName(AnomalyRecord.LOG_EVENT)
        .setBody(AnyValue.newBuilder().setStringValue(service
            + " logged a message of a kind never seen from it: " + template))
        .addAttributes(str(AnomalyRecord.KIND, "new_template"))
        .addAttributes(str(AnomalyRecord.SOURCE, AnomalyRecord.SOURCE_LOGS))
        .addAttributes(str("service.name", service))
        .addAttributes(str(AnomalyRecord.TEMPLATE_ID, templateId))
        .addAttributes(str(AnomalyRecord.TEMPLATE, template))
        .addAttributes(integer(AnomalyRecord.WINDOW_START, nanos(at.minusSeconds(60))))
        .addAttributes(integer(AnomalyRecord.WINDOW_END, nanos(at)))
        .build();
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(r))).build();
  }

  /**
   * {@code ../shared/data/incidents/postmortems.jsonl} beside the checkout (never copied into
   * it), or empty when this checkout was cloned alone.
   */
  static Optional<Path> postmortems() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(".ci"))) {
        Path f = dir.resolveSibling("shared").resolve("data/incidents/postmortems.jsonl");
        return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static KeyValue str(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  private static KeyValue integer(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v))
        .build();
  }
}
