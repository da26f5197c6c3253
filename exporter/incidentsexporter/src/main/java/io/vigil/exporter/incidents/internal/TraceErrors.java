package io.vigil.exporter.incidents.internal;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parent links and error status of recent spans: enough to name, for a trace, the service
 * of its deepest erroring span. A fault deep in a request path makes every caller fail too
 * (storefront's checkout errs because payments erred), and their logs and metrics turn
 * anomalous at about the same moment, in whatever order they happen to arrive; the span tree
 * says which failure the others only passed on.
 *
 * <p>Bounded by a span count: the least recently added trace goes first. Memory per span is a
 * few dozen bytes (two longs, a shared service string, a flag and a time).
 */
final class TraceErrors {

  /** One span, as much of it as the origin needs. */
  private record SpanFact(long spanId, long parentId, String service, boolean error,
      long startNanos) {}

  private final int maxSpans;
  private final LinkedHashMap<String, List<SpanFact>> traces = new LinkedHashMap<>();
  private int spans;
  private long evictedTraces;

  TraceErrors(int maxSpans) {
    this.maxSpans = maxSpans;
  }

  /** Indexes the batch's spans; returns the IDs (hex) of the traces it touched. */
  synchronized Set<String> add(ExportTraceServiceRequest batch) {
    Set<String> touched = new HashSet<>();
    for (ResourceSpans rs : batch.getResourceSpansList()) {
      String service = serviceOf(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          if (s.getTraceId().size() != 16 || s.getSpanId().size() != 8) {
            continue; // not a valid span: nothing to link
          }
          String trace = HexFormat.of().formatHex(s.getTraceId().toByteArray());
          // Re-inserted so the trace counts as recently added: its later spans keep it.
          List<SpanFact> facts = traces.remove(trace);
          if (facts == null) {
            facts = new ArrayList<>(4);
          }
          traces.put(trace, facts);
          facts.add(new SpanFact(id(s.getSpanId()), id(s.getParentSpanId()), service,
              s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR,
              s.getStartTimeUnixNano()));
          spans++;
          touched.add(trace);
        }
      }
    }
    evict();
    return touched;
  }

  /**
   * The service the erroring spans of {@code traceIds} point to: per trace the service of the
   * deepest erroring span (an erroring span none of whose descendants erred; of several, the
   * earliest), and over the traces the most frequent of those (ties: the first trace's). Null
   * when no span of these traces erred, or none is indexed.
   */
  synchronized String origin(List<String> traceIds) {
    Map<String, Integer> votes = new LinkedHashMap<>();
    for (String t : traceIds) {
      String o = deepestErroring(traces.get(t));
      if (o != null) {
        votes.merge(o, 1, Integer::sum);
      }
    }
    String best = null;
    int most = 0;
    for (Map.Entry<String, Integer> v : votes.entrySet()) {
      if (v.getValue() > most) {
        best = v.getKey();
        most = v.getValue();
      }
    }
    return best;
  }

  /** Traces dropped to stay within the span bound. */
  synchronized long evictedTraces() {
    return evictedTraces;
  }

  private static String deepestErroring(List<SpanFact> facts) {
    if (facts == null) {
      return null;
    }
    Map<Long, SpanFact> byId = new HashMap<>();
    for (SpanFact f : facts) {
      byId.put(f.spanId(), f);
    }
    // Every erroring span's ancestors: an erroring span among them only passed the error on.
    Set<Long> aboveAnError = new HashSet<>();
    for (SpanFact f : facts) {
      if (f.error()) {
        SpanFact up = byId.get(f.parentId());
        // Bounded by the trace's size: a malformed trace with a parent cycle must not loop.
        for (int hops = 0; up != null && hops < facts.size(); hops++) {
          aboveAnError.add(up.spanId());
          up = byId.get(up.parentId());
        }
      }
    }
    SpanFact deepest = null;
    for (SpanFact f : facts) {
      if (f.error() && !aboveAnError.contains(f.spanId())
          && (deepest == null || f.startNanos() < deepest.startNanos())) {
        deepest = f;
      }
    }
    return deepest == null ? null : deepest.service();
  }

  private void evict() {
    Iterator<List<SpanFact>> oldest = traces.values().iterator();
    while (spans > maxSpans && oldest.hasNext()) {
      spans -= oldest.next().size();
      oldest.remove();
      evictedTraces++;
    }
  }

  private static String serviceOf(List<KeyValue> attrs) {
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals("service.name")) {
        return kv.getValue().getStringValue().intern();
      }
    }
    return "unknown_service";
  }

  private static long id(ByteString bytes) {
    long v = 0;
    for (int i = 0; i < Math.min(8, bytes.size()); i++) {
      v = (v << 8) | (bytes.byteAt(i) & 0xff);
    }
    return v;
  }
}
