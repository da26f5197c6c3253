package io.vigil.processor.tailsampling.policy;

import java.util.Set;

/** {@code trace_state}: some span's W3C trace state has {@code key} with one of {@code values}. */
final class TraceStateMatch implements PolicyEvaluator {

  private final String key;
  private final Set<String> values;

  TraceStateMatch(String key, Set<String> values) {
    this.key = key;
    this.values = Set.copyOf(values);
  }

  @Override
  public Decision evaluate(BufferedTrace trace) {
    return trace.anySpan((rs, s) -> matches(s.getTraceState())) ? Decision.SAMPLED
        : Decision.NOT_SAMPLED;
  }

  private boolean matches(String traceState) {
    if (traceState.isEmpty()) {
      return false;
    }
    for (String member : traceState.split(",")) {
      int eq = member.indexOf('=');
      if (eq > 0 && member.substring(0, eq).trim().equals(key)
          && values.contains(member.substring(eq + 1).trim())) {
        return true;
      }
    }
    return false;
  }
}
