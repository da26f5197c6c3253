package io.vigil.processor.redaction;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.util.List;
import java.util.function.UnaryOperator;

/** Log record attributes and string bodies (bodies are masked, never removed). */
final class LogsRedaction implements UnaryOperator<ExportLogsServiceRequest> {

  private final Redactor redactor;
  private final RedactionCounts counts;

  LogsRedaction(Redactor redactor, RedactionCounts counts) {
    this.redactor = redactor;
    this.counts = counts;
  }

  @Override
  public ExportLogsServiceRequest apply(ExportLogsServiceRequest request) {
    ExportLogsServiceRequest.Builder out = request.toBuilder();
    boolean changed = false;
    for (var rl : out.getResourceLogsBuilderList()) {
      for (var sl : rl.getScopeLogsBuilderList()) {
        for (LogRecord.Builder log : sl.getLogRecordsBuilderList()) {
          Redactor.Tally t = new Redactor.Tally();
          if (log.getBody().getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
            String body = log.getBody().getStringValue();
            String masked = redactor.body(body, t);
            if (masked != body) {
              log.setBody(AnyValue.newBuilder().setStringValue(masked));
              changed = true;
            }
          }
          List<KeyValue> before = log.getAttributesList();
          List<KeyValue> attrs = redactor.attributes(before, t);
          if (attrs != before) {
            log.clearAttributes().addAllAttributes(attrs);
            changed = true;
          }
          counts.add(t);
        }
      }
    }
    return changed ? out.build() : request;
  }
}
