package io.vigil.processor.redaction;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.function.UnaryOperator;

/** Span attributes and span event attributes. */
final class TracesRedaction implements UnaryOperator<ExportTraceServiceRequest> {

  private final Redactor redactor;
  private final RedactionCounts counts;

  TracesRedaction(Redactor redactor, RedactionCounts counts) {
    this.redactor = redactor;
    this.counts = counts;
  }

  @Override
  public ExportTraceServiceRequest apply(ExportTraceServiceRequest request) {
    ExportTraceServiceRequest.Builder out = request.toBuilder();
    boolean changed = false;
    for (var rs : out.getResourceSpansBuilderList()) {
      for (var ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder span : ss.getSpansBuilderList()) {
          Redactor.Tally t = new Redactor.Tally();
          List<KeyValue> before = span.getAttributesList();
          List<KeyValue> attrs = redactor.attributes(before, t);
          if (attrs != before) {
            span.clearAttributes().addAllAttributes(attrs);
            changed = true;
          }
          for (Span.Event.Builder event : span.getEventsBuilderList()) {
            Redactor.Tally et = new Redactor.Tally();
            List<KeyValue> eventBefore = event.getAttributesList();
            List<KeyValue> ea = redactor.attributes(eventBefore, et);
            if (ea != eventBefore) {
              event.clearAttributes().addAllAttributes(ea);
              changed = true;
            }
            counts.add(et);
          }
          counts.add(t);
        }
      }
    }
    return changed ? out.build() : request;
  }
}
