package io.vigil.processor.tailsampling.policy;

/** {@code span_count}: the trace's spans number at least {@code min_spans}, at most {@code max_spans} (0: any). */
final class SpanCount implements PolicyEvaluator {

  private final int min;
  private final int max;

  SpanCount(PolicyConfig.SpanCount c) {
    this.min = c.minSpans;
    this.max = c.maxSpans;
  }

  @Override
  public Decision evaluate(BufferedTrace trace) {
    int n = trace.spanCount();
    return n >= min && (max == 0 || n <= max) ? Decision.SAMPLED : Decision.NOT_SAMPLED;
  }
}
