package io.vigil.processor.tailsampling.policy;

/**
 * {@code latency}: the time from the trace's earliest span start to its latest span end, in
 * milliseconds, at least {@code threshold_ms} and (when set) at most {@code upper_threshold_ms}.
 */
final class Latency implements PolicyEvaluator {

  private final long lowerMs;
  private final long upperMs;

  Latency(PolicyConfig.Latency c) {
    this.lowerMs = c.thresholdMs;
    this.upperMs = c.upperThresholdMs;
  }

  @Override
  public Decision evaluate(BufferedTrace trace) {
    long[] bounds = {Long.MAX_VALUE, Long.MIN_VALUE};
    trace.forEachSpan((rs, s) -> {
      bounds[0] = Math.min(bounds[0], s.getStartTimeUnixNano());
      bounds[1] = Math.max(bounds[1], s.getEndTimeUnixNano());
    });
    if (trace.spanCount() == 0) {
      return Decision.NOT_SAMPLED;
    }
    long durationMs = (bounds[1] - bounds[0]) / 1_000_000L;
    boolean in = durationMs >= lowerMs && (upperMs == 0 || durationMs <= upperMs);
    return in ? Decision.SAMPLED : Decision.NOT_SAMPLED;
  }
}
