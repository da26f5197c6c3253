package io.vigil.processor.tailsampling.policy;

/** What one policy says of a trace, as the Collector's sampling.Decision. */
public enum Decision {
  SAMPLED,
  NOT_SAMPLED,
  /** An {@code invert_match} policy whose condition did not match: sample unless another says no. */
  INVERT_SAMPLED,
  /** An {@code invert_match} policy whose condition matched: not sampled, whatever the others say. */
  INVERT_NOT_SAMPLED,
  /** A {@code drop} policy matched: not sampled, whatever the others say. */
  DROPPED;

  public boolean samples() {
    return this == SAMPLED || this == INVERT_SAMPLED;
  }

  /**
   * The final decision of a trace from its policies' decisions, the Collector's precedence:
   * dropped, then inverted-not-sampled, then sampled, then inverted-sampled if nothing said
   * not sampled; otherwise not sampled.
   */
  public static boolean combine(Iterable<Decision> decisions) {
    boolean dropped = false;
    boolean invertNot = false;
    boolean sampled = false;
    boolean invertSampled = false;
    boolean notSampled = false;
    for (Decision d : decisions) {
      switch (d) {
        case DROPPED -> dropped = true;
        case INVERT_NOT_SAMPLED -> invertNot = true;
        case SAMPLED -> sampled = true;
        case INVERT_SAMPLED -> invertSampled = true;
        case NOT_SAMPLED -> notSampled = true;
        default -> throw new IllegalStateException(d.name());
      }
    }
    if (dropped || invertNot) {
      return false;
    }
    return sampled || (invertSampled && !notSampled);
  }
}
