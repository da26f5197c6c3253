package io.vigil.processor.attributes.internal;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.processor.attraction.AttributeActions;
import static io.vigil.processor.attributes.internal.RequestRewriter.changed;

import java.util.List;

/** The actions on span attributes. */
public final class TracesRewriter implements RequestRewriter<ExportTraceServiceRequest> {
  private final AttributeActions actions;
  private final ItemSelector selector;

  public TracesRewriter(AttributeActions actions, ItemSelector selector) {
    this.actions = actions;
    this.selector = selector;
  }

  @Override
  public ExportTraceServiceRequest rewrite(ExportTraceServiceRequest request) {
    ExportTraceServiceRequest.Builder out = null;
    for (int i = 0; i < request.getResourceSpansCount(); i++) {
      ResourceSpans rs = request.getResourceSpans(i);
      for (int j = 0; j < rs.getScopeSpansCount(); j++) {
        ScopeSpans ss = rs.getScopeSpans(j);
        for (int k = 0; k < ss.getSpansCount(); k++) {
          Span span = ss.getSpans(k);
          if (!selector.selectsSpan(rs.getResource(), ss.getScope(), span)) {
            continue;
          }
          List<KeyValue> attrs = actions.apply(span.getAttributesList());
          if (changed(attrs, span.getAttributesList())) {
            if (out == null) {
              out = request.toBuilder();
            }
            out.getResourceSpansBuilder(i).getScopeSpansBuilder(j).getSpansBuilder(k)
                .clearAttributes().addAllAttributes(attrs);
          }
        }
      }
    }
    return out == null ? request : out.build();
  }
}
