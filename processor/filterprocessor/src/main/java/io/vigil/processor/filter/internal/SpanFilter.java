package io.vigil.processor.filter.internal;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.processor.ottl.RecordContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Spans first, then the events of the spans kept: a dropped span's events are not looked at, a
 * span whose events are all dropped stays. Scopes and resources left without spans go too.
 */
public final class SpanFilter implements RequestFilter<ExportTraceServiceRequest> {
  private final Conditions spans;
  private final Conditions events;

  public SpanFilter(Conditions spans, Conditions events) {
    this.spans = spans;
    this.events = events;
  }

  @Override
  public ExportTraceServiceRequest filter(ExportTraceServiceRequest request, LongConsumer dropped) {
    if (spans.isEmpty() && events.isEmpty()) {
      return request;
    }
    RecordContext c = new RecordContext();
    ExportTraceServiceRequest.Builder out = null;
    long droppedSpans = 0;
    for (int i = 0; i < request.getResourceSpansCount(); i++) {
      ResourceSpans rs = request.getResourceSpans(i);
      c.resource(rs.getResource());
      List<ScopeSpans> scopes = new ArrayList<>(rs.getScopeSpansCount());
      boolean resourceChanged = false;
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        c.scope(ss.getScope());
        List<Span> kept = null;
        for (int k = 0; k < ss.getSpansCount(); k++) {
          Span span = ss.getSpans(k);
          c.span(span);
          Span result = spans.anyMatch(c) ? null : filterEvents(c, span);
          if (result != span && kept == null) {
            kept = new ArrayList<>(ss.getSpansList().subList(0, k));
          }
          if (result == null) {
            droppedSpans++;
          } else if (kept != null) {
            kept.add(result);
          }
        }
        if (kept == null) {
          scopes.add(ss);
        } else {
          resourceChanged = true;
          if (!kept.isEmpty()) {
            scopes.add(ss.toBuilder().clearSpans().addAllSpans(kept).build());
          }
        }
      }
      if (resourceChanged && out == null) {
        out = ExportTraceServiceRequest.newBuilder().addAllResourceSpans(request.getResourceSpansList().subList(0, i));
      }
      if (out != null) {
        if (!resourceChanged) {
          out.addResourceSpans(rs);
        } else if (!scopes.isEmpty()) {
          out.addResourceSpans(rs.toBuilder().clearScopeSpans().addAllScopeSpans(scopes));
        }
      }
    }
    dropped.accept(droppedSpans);
    return out == null ? request : out.build();
  }

  /** The span without the events the conditions match: the span itself when none does. */
  private Span filterEvents(RecordContext c, Span span) {
    if (events.isEmpty() || span.getEventsCount() == 0) {
      return span;
    }
    List<Span.Event> kept = null;
    for (int e = 0; e < span.getEventsCount(); e++) {
      Span.Event event = span.getEvents(e);
      c.spanEvent(event);
      boolean drop = events.anyMatch(c);
      if (drop && kept == null) {
        kept = new ArrayList<>(span.getEventsList().subList(0, e));
      } else if (!drop && kept != null) {
        kept.add(event);
      }
    }
    c.spanEvent(null);
    return kept == null ? span : span.toBuilder().clearEvents().addAllEvents(kept).build();
  }
}
