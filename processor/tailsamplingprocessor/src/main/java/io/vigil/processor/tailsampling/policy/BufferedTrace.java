package io.vigil.processor.tailsampling.policy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The spans of one trace received so far, as the per-resource parts they arrived in, waiting
 * for the decision. Not thread-safe: the processor guards it.
 */
public final class BufferedTrace {

  private final ByteString traceId;
  private final long firstArrivalNanos;
  private final List<ResourceSpans> parts = new ArrayList<>();
  private int spanCount;
  private long bytes;

  public BufferedTrace(ByteString traceId, long firstArrivalNanos) {
    this.traceId = traceId;
    this.firstArrivalNanos = firstArrivalNanos;
  }

  /** Adds the spans of this trace from one request (every part holds only this trace's spans). */
  public void add(ExportTraceServiceRequest ofThisTrace) {
    for (ResourceSpans rs : ofThisTrace.getResourceSpansList()) {
      parts.add(rs);
      bytes += rs.getSerializedSize();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        spanCount += ss.getSpansCount();
      }
    }
  }

  public ByteString traceId() {
    return traceId;
  }

  public long firstArrivalNanos() {
    return firstArrivalNanos;
  }

  public int spanCount() {
    return spanCount;
  }

  /** The serialized size of the trace's parts, what {@code bytes_limiting} counts. */
  public long bytes() {
    return bytes;
  }

  public List<ResourceSpans> parts() {
    return parts;
  }

  /** Calls {@code action} with every span and the resource part it came in. */
  public void forEachSpan(BiConsumer<ResourceSpans, Span> action) {
    for (ResourceSpans rs : parts) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          action.accept(rs, s);
        }
      }
    }
  }

  /** True if {@code test} holds for some span (with its resource part). */
  public boolean anySpan(SpanTest test) {
    for (ResourceSpans rs : parts) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          if (test.test(rs, s)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** A condition on one span and the resource part it came in. */
  @FunctionalInterface
  public interface SpanTest {
    boolean test(ResourceSpans resource, Span span);
  }
}
