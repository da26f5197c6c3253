package io.vigil.exporter.incidents.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vigil.exporter.incidents.Evidence;
import io.vigil.exporter.incidents.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class OriginWatchTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  /** storefront → orders → payments, one span each; {@code erring} ones have status ERROR. */
  private static ExportTraceServiceRequest checkout(String trace, String... erring) {
    List<String> bad = List.of(erring);
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(spans("storefront", span(trace, 1, 0, 100, bad.contains("storefront"))))
        .addResourceSpans(spans("orders", span(trace, 2, 1, 110, bad.contains("orders"))))
        .addResourceSpans(spans("payments", span(trace, 3, 2, 120, bad.contains("payments"))))
        .build();
  }

  private static ResourceSpans spans(String service, Span... spans) {
    return ResourceSpans.newBuilder().setResource(Resource.newBuilder().addAttributes(
            KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service))))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))).build();
  }

  private static Span span(String trace, long id, long parent, long start, boolean error) {
    Span.Builder s = Span.newBuilder().setTraceId(ByteString.copyFrom(HexFormat.of()
            .parseHex(trace))).setSpanId(id(id)).setStartTimeUnixNano(start).setName("op");
    if (parent != 0) {
      s.setParentSpanId(id(parent));
    }
    if (error) {
      s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
    }
    return s.build();
  }

  private static ByteString id(long v) {
    return ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).putLong(v).array());
  }

  private static Evidence evidence(String key, String service, String... traces) {
    return new Evidence(key, service + "|kind:x", "error_surge", "logs", service, null, null,
        null, "", null, T0, T0, List.of(traces), T0, null);
  }

  @Test
  void theDeepestErroringSpanIsTheOriginWhateverItsCallersDid() {
    TraceErrors t = new TraceErrors(1000);
    t.add(checkout(TRACE, "storefront", "orders", "payments"));
    assertThat(t.origin(List.of(TRACE))).isEqualTo("payments");

    String other = "1af7651916cd43dd8448eb211c80319c";
    // Only the caller erred: its callees answered; the failure is its own.
    t.add(checkout(other, "storefront"));
    assertThat(t.origin(List.of(other))).isEqualTo("storefront");
    // Payments erred but orders recovered (a fallback): payments is still the origin.
    String third = "2af7651916cd43dd8448eb211c80319c";
    t.add(checkout(third, "payments"));
    assertThat(t.origin(List.of(third))).isEqualTo("payments");
    // Votes over traces: two say storefront, one payments.
    String fourth = "3af7651916cd43dd8448eb211c80319c";
    t.add(checkout(fourth, "storefront"));
    assertThat(t.origin(List.of(third, other, fourth))).isEqualTo("storefront");
    assertThat(t.origin(List.of("ffffffffffffffffffffffffffffffff"))).isNull();
  }

  @Test
  void ofTwoErroringBranchesTheEarlierOneIsTheOriginAndParentCyclesEnd() {
    TraceErrors t = new TraceErrors(1000);
    t.add(ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(spans("storefront", span(TRACE, 1, 0, 100, true)))
        .addResourceSpans(spans("inventory", span(TRACE, 2, 1, 130, true)))
        .addResourceSpans(spans("payments", span(TRACE, 3, 1, 120, true)))
        .build());
    assertThat(t.origin(List.of(TRACE))).isEqualTo("payments");

    String cyclic = "4af7651916cd43dd8448eb211c80319c";
    t.add(ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(spans("a", span(cyclic, 1, 2, 100, true)))
        .addResourceSpans(spans("b", span(cyclic, 2, 1, 110, true)))
        .build());
    // A malformed trace: every span is above an error, so none is the deepest. It ends.
    assertThat(t.origin(List.of(cyclic))).isNull();
  }

  @Test
  void theSpanBoundEvictsTheOldestTraces() {
    TraceErrors t = new TraceErrors(6);
    t.add(checkout(TRACE, "payments"));
    String second = "1af7651916cd43dd8448eb211c80319c";
    t.add(checkout(second, "orders"));
    String third = "2af7651916cd43dd8448eb211c80319c";
    t.add(checkout(third, "orders"));
    assertThat(t.origin(List.of(TRACE))).as("evicted").isNull();
    assertThat(t.origin(List.of(third))).isEqualTo("orders");
    assertThat(t.evictedTraces()).isEqualTo(1);
  }

  @Test
  void spansArrivingAfterTheEvidenceUpdateItUntilItSettled() {
    MutableClock clock = new MutableClock(T0);
    OriginWatch w = new OriginWatch(1000, Duration.ofSeconds(60), clock);
    Evidence orders = w.annotate(evidence("k-orders", "orders", TRACE));
    assertThat(orders.traceOrigin()).as("no spans yet").isNull();
    w.watch("INC-1", orders);

    // First only the callers' spans, which erred: storefront's error is deepest so far.
    ExportTraceServiceRequest callers = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(spans("storefront", span(TRACE, 1, 0, 100, true)))
        .addResourceSpans(spans("orders", span(TRACE, 2, 1, 110, true))).build();
    assertThat(w.spans(callers)).containsExactly(
        new OriginWatch.Update("INC-1", "k-orders", "orders"));
    // Then payments' erroring span: the answer moves to it.
    ExportTraceServiceRequest callee = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(spans("payments", span(TRACE, 3, 2, 120, true))).build();
    assertThat(w.spans(callee)).containsExactly(
        new OriginWatch.Update("INC-1", "k-orders", "payments"));
    // Nothing new: no update.
    assertThat(w.spans(callee)).isEmpty();

    // Evidence filed now knows at once.
    assertThat(w.annotate(evidence("k-sf", "storefront", TRACE)).traceOrigin())
        .isEqualTo("payments");

    // Past settle, a watched evidence is not updated any more.
    String late = "5af7651916cd43dd8448eb211c80319c";
    w.watch("INC-2", w.annotate(evidence("k-late", "orders", late)));
    clock.advance(Duration.ofSeconds(61));
    assertThat(w.spans(checkout(late, "payments"))).isEmpty();
  }
}
