package io.vigil.processor.groupbytrace;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One trace's spans while they wait, kept under their resource and scope so the released batch
 * has the shape they came in; {@link #released} completes once the batch was accepted (or
 * refused) downstream, which is when the requests that brought its spans are answered.
 */
final class HeldTrace {
  private final Map<Origin, List<Span>> spans = new LinkedHashMap<>();
  final CompletableFuture<Void> released = new CompletableFuture<>();
  ScheduledFuture<?> timer;
  int spanCount;

  /** Where a span came from: its resource and scope, with their schema URLs. */
  record Origin(Resource resource, String resourceSchema, InstrumentationScope scope,
      String scopeSchema) {}

  void add(Origin origin, Span span) {
    spans.computeIfAbsent(origin, o -> new ArrayList<>()).add(span);
    spanCount++;
  }

  ExportTraceServiceRequest toRequest() {
    Map<List<Object>, ResourceSpans.Builder> byResource = new LinkedHashMap<>();
    spans.forEach((o, list) -> byResource
        .computeIfAbsent(List.of(o.resource(), o.resourceSchema()), k -> ResourceSpans.newBuilder()
            .setResource(o.resource()).setSchemaUrl(o.resourceSchema()))
        .addScopeSpans(ScopeSpans.newBuilder().setScope(o.scope()).setSchemaUrl(o.scopeSchema())
            .addAllSpans(list)));
    ExportTraceServiceRequest.Builder r = ExportTraceServiceRequest.newBuilder();
    byResource.values().forEach(r::addResourceSpans);
    return r.build();
  }
}
