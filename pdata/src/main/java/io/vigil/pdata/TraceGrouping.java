package io.vigil.pdata;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.LinkedHashMap;
import java.util.Map;

/** Splits a traces request into one request per trace ID, each span keeping its resource and scope. */
public final class TraceGrouping {

  private TraceGrouping() {}

  /** One request per trace ID, in first-seen order; spans keep their resource and scope. */
  public static Map<ByteString, ExportTraceServiceRequest> byTraceId(ExportTraceServiceRequest r) {
    Map<ByteString, ExportTraceServiceRequest.Builder> traces = new LinkedHashMap<>();
    for (ResourceSpans rs : r.getResourceSpansList()) {
      Map<ByteString, ResourceSpans.Builder> inResource = new LinkedHashMap<>();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        Map<ByteString, ScopeSpans.Builder> inScope = new LinkedHashMap<>();
        for (Span s : ss.getSpansList()) {
          inScope.computeIfAbsent(s.getTraceId(), k -> ss.toBuilder().clearSpans()).addSpans(s);
        }
        inScope.forEach((id, scope) -> inResource.computeIfAbsent(id,
            k -> rs.toBuilder().clearScopeSpans()).addScopeSpans(scope));
      }
      inResource.forEach((id, res) -> traces.computeIfAbsent(id,
          k -> ExportTraceServiceRequest.newBuilder()).addResourceSpans(res));
    }
    Map<ByteString, ExportTraceServiceRequest> out = new LinkedHashMap<>();
    traces.forEach((id, b) -> out.put(id, b.build()));
    return out;
  }
}
