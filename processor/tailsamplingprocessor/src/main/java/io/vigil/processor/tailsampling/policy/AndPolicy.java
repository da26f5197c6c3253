package io.vigil.processor.tailsampling.policy;

import java.util.List;

/** {@code and}: sampled when every sub-policy samples (inverted decisions count as theirs). */
final class AndPolicy implements PolicyEvaluator {

  private final List<PolicyEvaluator> subs;

  AndPolicy(List<PolicyEvaluator> subs) {
    this.subs = List.copyOf(subs);
  }

  @Override
  public Decision evaluate(BufferedTrace trace) {
    for (PolicyEvaluator p : subs) {
      Decision d = p.evaluate(trace);
      if (d == Decision.NOT_SAMPLED || d == Decision.INVERT_NOT_SAMPLED
          || d == Decision.DROPPED) {
        return Decision.NOT_SAMPLED;
      }
    }
    return Decision.SAMPLED;
  }
}
