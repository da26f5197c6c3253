package io.vigil.processor.tailsampling.policy;

import java.util.List;

/** {@code drop}: when every sub-policy samples, the trace is dropped whatever the other policies say. */
final class DropPolicy implements PolicyEvaluator {

  private final List<PolicyEvaluator> subs;

  DropPolicy(List<PolicyEvaluator> subs) {
    this.subs = List.copyOf(subs);
  }

  @Override
  public Decision evaluate(BufferedTrace trace) {
    for (PolicyEvaluator p : subs) {
      if (!p.evaluate(trace).samples()) {
        return Decision.NOT_SAMPLED;
      }
    }
    return Decision.DROPPED;
  }
}
