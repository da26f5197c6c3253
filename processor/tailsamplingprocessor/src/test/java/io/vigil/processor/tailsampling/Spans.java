package io.vigil.processor.tailsampling;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vigil.testing.TestData;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Small builders of spans and requests for these tests. */
final class Spans {

  private Spans() {}

  static Span.Builder span(ByteString traceId, long startMs, long endMs) {
    return Span.newBuilder().setTraceId(traceId).setSpanId(TestData.randomId(8))
        .setName("op").setStartTimeUnixNano(startMs * 1_000_000L)
        .setEndTimeUnixNano(endMs * 1_000_000L);
  }

  static Span.Builder span(ByteString traceId) {
    return span(traceId, 1000, 1010);
  }

  static Span.Builder withStatus(Span.Builder s, Status.StatusCode code) {
    return s.setStatus(Status.newBuilder().setCode(code));
  }

  static Span.Builder with(Span.Builder s, KeyValue... attributes) {
    return s.addAllAttributes(List.of(attributes));
  }

  static ExportTraceServiceRequest request(String service, Span.Builder... spans) {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (Span.Builder s : spans) {
      ss.addSpans(s);
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(TestData.resource(service)).addScopeSpans(ss)).build();
  }

  static Set<ByteString> spanIds(List<ExportTraceServiceRequest> batches) {
    Set<ByteString> out = new HashSet<>();
    batches.forEach(b -> b.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(
        ss -> ss.getSpansList().forEach(s -> out.add(s.getSpanId())))));
    return out;
  }

  static Set<ByteString> traceIds(List<ExportTraceServiceRequest> batches) {
    Set<ByteString> out = new HashSet<>();
    batches.forEach(b -> b.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(
        ss -> ss.getSpansList().forEach(s -> out.add(s.getTraceId())))));
    return out;
  }
}
