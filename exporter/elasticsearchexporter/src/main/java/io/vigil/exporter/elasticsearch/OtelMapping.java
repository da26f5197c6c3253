package io.vigil.exporter.elasticsearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * Documents that keep OpenTelemetry's own names: {@code trace_id}, {@code severity_text},
 * {@code body.text}, {@code attributes.*}, {@code resource.attributes.*}, {@code scope.*},
 * plus {@code @timestamp} that data streams need.
 */
final class OtelMapping implements RecordMapping {

  @Override
  public String mappingsResource() {
    return "otel-mappings.json";
  }

  @Override
  public ObjectNode log(Resource resource, InstrumentationScope scope, LogRecord r) {
    ObjectNode doc = AnyValues.JSON.objectNode();
    long time = r.getTimeUnixNano() != 0 ? r.getTimeUnixNano() : r.getObservedTimeUnixNano();
    doc.put("@timestamp", AnyValues.timestamp(time));
    if (r.getObservedTimeUnixNano() != 0) {
      doc.put("observed_timestamp", AnyValues.timestamp(r.getObservedTimeUnixNano()));
    }
    if (!r.getSeverityText().isEmpty()) {
      doc.put("severity_text", r.getSeverityText());
    }
    if (r.getSeverityNumberValue() > 0) {
      doc.put("severity_number", r.getSeverityNumberValue());
    }
    if (!r.getEventName().isEmpty()) {
      doc.put("event_name", r.getEventName());
    }
    if (r.hasBody()) {
      doc.putObject("body").put("text", AnyValues.text(r.getBody()));
    }
    if (!r.getTraceId().isEmpty()) {
      doc.put("trace_id", AnyValues.hex(r.getTraceId()));
    }
    if (!r.getSpanId().isEmpty()) {
      doc.put("span_id", AnyValues.hex(r.getSpanId()));
    }
    if (r.getAttributesCount() > 0) {
      doc.set("attributes", AnyValues.object(r.getAttributesList()));
    }
    if (r.getDroppedAttributesCount() > 0) {
      doc.put("dropped_attributes_count", r.getDroppedAttributesCount());
    }
    resourceAndScope(doc, resource, scope);
    return doc;
  }

  @Override
  public ObjectNode span(Resource resource, InstrumentationScope scope, Span s) {
    ObjectNode doc = AnyValues.JSON.objectNode();
    doc.put("@timestamp", AnyValues.timestamp(s.getStartTimeUnixNano()));
    doc.put("end_timestamp", AnyValues.timestamp(s.getEndTimeUnixNano()));
    doc.put("duration", Math.max(0, s.getEndTimeUnixNano() - s.getStartTimeUnixNano()));
    doc.put("trace_id", AnyValues.hex(s.getTraceId()));
    doc.put("span_id", AnyValues.hex(s.getSpanId()));
    if (!s.getParentSpanId().isEmpty()) {
      doc.put("parent_span_id", AnyValues.hex(s.getParentSpanId()));
    }
    if (!s.getTraceState().isEmpty()) {
      doc.put("trace_state", s.getTraceState());
    }
    doc.put("name", s.getName());
    doc.put("kind", s.getKind().name().substring("SPAN_KIND_".length()));
    ObjectNode status = doc.putObject("status");
    status.put("code", s.getStatus().getCode().name().substring("STATUS_CODE_".length()));
    if (!s.getStatus().getMessage().isEmpty()) {
      status.put("message", s.getStatus().getMessage());
    }
    if (s.getAttributesCount() > 0) {
      doc.set("attributes", AnyValues.object(s.getAttributesList()));
    }
    if (s.getEventsCount() > 0) {
      ArrayNode events = doc.putArray("events");
      for (Span.Event e : s.getEventsList()) {
        ObjectNode ev = events.addObject();
        ev.put("name", e.getName());
        ev.put("timestamp", AnyValues.timestamp(e.getTimeUnixNano()));
        if (e.getAttributesCount() > 0) {
          ev.set("attributes", AnyValues.object(e.getAttributesList()));
        }
      }
    }
    if (s.getLinksCount() > 0) {
      ArrayNode links = doc.putArray("links");
      for (Span.Link l : s.getLinksList()) {
        ObjectNode link = links.addObject();
        link.put("trace_id", AnyValues.hex(l.getTraceId()));
        link.put("span_id", AnyValues.hex(l.getSpanId()));
        if (l.getAttributesCount() > 0) {
          link.set("attributes", AnyValues.object(l.getAttributesList()));
        }
      }
    }
    resourceAndScope(doc, resource, scope);
    return doc;
  }

  private static void resourceAndScope(ObjectNode doc, Resource resource,
      InstrumentationScope scope) {
    if (resource.getAttributesCount() > 0) {
      doc.putObject("resource").set("attributes", AnyValues.object(resource.getAttributesList()));
    }
    if (!scope.getName().isEmpty() || !scope.getVersion().isEmpty()) {
      ObjectNode sc = doc.putObject("scope");
      if (!scope.getName().isEmpty()) {
        sc.put("name", scope.getName());
      }
      if (!scope.getVersion().isEmpty()) {
        sc.put("version", scope.getVersion());
      }
      if (scope.getAttributesCount() > 0) {
        sc.set("attributes", AnyValues.object(scope.getAttributesList()));
      }
    }
  }
}
