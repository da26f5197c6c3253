package io.vigil.processor.probabilisticsampler;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Consumer;
import io.vigil.core.component.Processor;
import io.vigil.processor.probabilisticsampler.internal.SpanDecision;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps the sampled spans of each request; scopes and resources left empty are dropped, and a
 * request with nothing left is answered at once without going further (the Collector's
 * ErrSkipProcessingData). Dropped spans are not an error: the client is told "accepted".
 */
final class TracesSampling implements Processor<ExportTraceServiceRequest> {
  private final SpanDecision decision;
  private final Consumer<ExportTraceServiceRequest> next;

  TracesSampling(SpanDecision decision, Consumer<ExportTraceServiceRequest> next) {
    this.decision = decision;
    this.next = next;
  }

  @Override
  public CompletableFuture<Void> consume(ExportTraceServiceRequest request) {
    ExportTraceServiceRequest out = sample(request);
    if (out.getResourceSpansCount() == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return next.consume(out);
  }

  ExportTraceServiceRequest sample(ExportTraceServiceRequest request) {
    ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
    boolean changed = false;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      ResourceSpans.Builder rb = null;
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ScopeSpans.Builder sb = null;
        for (Span span : ss.getSpansList()) {
          SpanDecision.Outcome o = decision.decide(span);
          if (!o.keep()) {
            changed = true;
            continue;
          }
          if (sb == null) {
            sb = ss.toBuilder().clearSpans();
          }
          if (o.traceState().equals(span.getTraceState())) {
            sb.addSpans(span);
          } else {
            changed = true;
            sb.addSpans(span.toBuilder().setTraceState(o.traceState()));
          }
        }
        if (sb != null) {
          if (rb == null) {
            rb = rs.toBuilder().clearScopeSpans();
          }
          rb.addScopeSpans(sb);
        } else if (ss.getSpansCount() > 0) {
          changed = true;
        }
      }
      if (rb != null) {
        out.addResourceSpans(rb);
      } else {
        changed = true;
      }
    }
    return changed ? out.build() : request;
  }
}
