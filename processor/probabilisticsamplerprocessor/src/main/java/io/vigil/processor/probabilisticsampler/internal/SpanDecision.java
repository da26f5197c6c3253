package io.vigil.processor.probabilisticsampler.internal;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * One span's sampling decision, as the Collector's traces processor makes it: the
 * {@code sampling.priority} attribute first (0 drops, above 0 keeps), then the mode's threshold
 * against the span's randomness; a kept span carries its threshold (and, in hash_seed mode, the
 * randomness used) in its {@code tracestate}.
 */
public final class SpanDecision {
  private final Sampler sampler;
  private final boolean failClosed;

  public SpanDecision(Sampler sampler, boolean failClosed) {
    this.sampler = sampler;
    this.failClosed = failClosed;
  }

  /** The outcome: keep as is, keep with a new tracestate, or drop. */
  public record Outcome(boolean keep, String traceState, String policy) {
    static Outcome drop(String policy) {
      return new Outcome(false, null, policy);
    }
  }

  enum Priority { DEFER, MUST, NEVER }

  public Outcome decide(Span span) {
    Priority priority = priority(span);
    if (priority == Priority.NEVER) {
      return Outcome.drop("sampling_priority");
    }
    TraceState ts;
    try {
      ts = TraceState.parse(span.getTraceState());
    } catch (IllegalArgumentException e) {
      return error(span, "tracestate");
    }
    long randomness;
    String policy;
    if (sampler.hashing()) {
      if (ts.rvalue() >= 0 || ts.threshold() != null) {
        // The span is already in OTel consistent sampling; hashing would contradict it.
        return error(span, "randomness_in_use");
      }
      randomness = Randomness.ofHash(span.getTraceId().toByteArray(), sampler.hashSeed());
      ts.setRvalue(randomness);
      policy = "trace_id_hash";
    } else if (ts.rvalue() >= 0) {
      randomness = ts.rvalue();
      policy = "sampling_randomness";
    } else if (!Randomness.isEmptyTraceId(span.getTraceId())) {
      randomness = Randomness.ofTraceId(span.getTraceId());
      policy = "trace_id_w3c";
    } else {
      return error(span, "missing_randomness");
    }
    Threshold arriving = ts.threshold();
    if (arriving != null && !arriving.shouldSample(randomness)) {
      // An arriving threshold the randomness does not pass is a lie (W3C says: clear it).
      ts.clearThreshold();
      return failClosed ? Outcome.drop("inconsistent_threshold")
          : new Outcome(true, ts.serialize(), "inconsistent_threshold");
    }
    Threshold threshold = priority == Priority.MUST ? Threshold.ALWAYS : sampler.decide(arriving);
    if (!threshold.shouldSample(randomness)) {
      return Outcome.drop(priority == Priority.MUST ? "sampling_priority" : policy);
    }
    // A threshold below the arriving one would claim a higher probability than an earlier
    // sampler gave: the arriving one stays (the Collector logs this and keeps the span).
    ts.updateThreshold(threshold);
    return new Outcome(true, ts.serialize(), priority == Priority.MUST ? "sampling_priority" : policy);
  }

  private Outcome error(Span span, String policy) {
    return failClosed ? Outcome.drop(policy) : new Outcome(true, span.getTraceState(), policy);
  }

  /** The OpenTracing {@code sampling.priority} attribute: int, double or numeric string. */
  static Priority priority(Span span) {
    for (KeyValue kv : span.getAttributesList()) {
      if (kv.getKey().equals("sampling.priority")) {
        AnyValue v = kv.getValue();
        double d;
        switch (v.getValueCase()) {
          case INT_VALUE -> d = v.getIntValue();
          case DOUBLE_VALUE -> d = v.getDoubleValue();
          case STRING_VALUE -> {
            try {
              d = Double.parseDouble(v.getStringValue().strip());
            } catch (NumberFormatException e) {
              return Priority.DEFER;
            }
          }
          default -> {
            return Priority.DEFER;
          }
        }
        return d == 0 ? Priority.NEVER : d > 0 ? Priority.MUST : Priority.DEFER;
      }
    }
    return Priority.DEFER;
  }
}
