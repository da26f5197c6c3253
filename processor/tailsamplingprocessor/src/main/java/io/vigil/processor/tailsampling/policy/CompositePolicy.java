package io.vigil.processor.tailsampling.policy;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@code composite}: the sub-policies in {@code policy_order}; the first that samples a trace
 * takes it if its share of the second's budget ({@code rate_allocation} percent of
 * {@code max_total_spans_per_second}; sub-policies without an allocation share what the
 * allocations leave) and the total budget still hold the trace's spans. Over its share the next
 * sub-policy is asked, as in the Collector, so a smaller trace may still pass later.
 */
final class CompositePolicy implements PolicyEvaluator {

  /** One sub-policy with its budget. */
  record Sub(PolicyEvaluator evaluator, long allocatedSpansPerSecond) {}

  private final List<Sub> subs;
  private final long maxTotal;
  private final LongSupplier epochSecond;
  private final long[] sampledInSecond;
  private long totalInSecond;
  private long second = Long.MIN_VALUE;

  CompositePolicy(List<Sub> subs, long maxTotal, LongSupplier epochSecond) {
    this.subs = List.copyOf(subs);
    this.maxTotal = maxTotal;
    this.epochSecond = epochSecond;
    this.sampledInSecond = new long[subs.size()];
  }

  @Override
  public Decision evaluate(BufferedTrace trace) {
    long now = epochSecond.getAsLong();
    if (now != second) {
      second = now;
      java.util.Arrays.fill(sampledInSecond, 0);
      totalInSecond = 0;
    }
    int n = trace.spanCount();
    for (int i = 0; i < subs.size(); i++) {
      Sub sub = subs.get(i);
      if (sub.evaluator().evaluate(trace).samples()) {
        long ifSampled = sampledInSecond[i] + n;
        if (ifSampled <= sub.allocatedSpansPerSecond() && totalInSecond + n <= maxTotal) {
          sampledInSecond[i] = ifSampled;
          totalInSecond += n;
          return Decision.SAMPLED;
        }
      }
    }
    return Decision.NOT_SAMPLED;
  }
}
