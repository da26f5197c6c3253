package io.vigil.exporter.prometheus;

import io.opentelemetry.proto.metrics.v1.Exemplar;
import java.util.HexFormat;

/** An OTLP exemplar reduced to what Prometheus keeps: value, time, trace and span ID. */
record TraceExemplar(double value, String traceId, String spanId, long timeMillis) {

  /** Null when the exemplar names no trace: without one it links nowhere. */
  static TraceExemplar of(Exemplar e) {
    if (e.getTraceId().isEmpty()) {
      return null;
    }
    double v = e.getValueCase() == Exemplar.ValueCase.AS_INT ? e.getAsInt() : e.getAsDouble();
    HexFormat hex = HexFormat.of();
    return new TraceExemplar(v, hex.formatHex(e.getTraceId().toByteArray()),
        hex.formatHex(e.getSpanId().toByteArray()), e.getTimeUnixNano() / 1_000_000L);
  }

  /** The latest exemplar of a point, or null. */
  static TraceExemplar latest(java.util.List<Exemplar> exemplars) {
    TraceExemplar best = null;
    for (Exemplar e : exemplars) {
      TraceExemplar t = of(e);
      if (t != null && (best == null || t.timeMillis >= best.timeMillis)) {
        best = t;
      }
    }
    return best;
  }

  io.prometheus.metrics.model.snapshots.Exemplar toSnapshot() {
    var b = io.prometheus.metrics.model.snapshots.Exemplar.builder()
        .value(value).traceId(traceId);
    if (!spanId.isEmpty()) {
      b.spanId(spanId);
    }
    if (timeMillis > 0) {
      b.timestampMillis(timeMillis);
    }
    return b.build();
  }
}
