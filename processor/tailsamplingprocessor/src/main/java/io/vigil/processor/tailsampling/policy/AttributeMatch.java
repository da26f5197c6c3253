package io.vigil.processor.tailsampling.policy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;
import java.util.function.Predicate;

/**
 * The attribute policies' common shape: a trace matches when the attribute {@code key} of any
 * span's resource, or of any span, passes a test; with {@code invert_match} the decision is the
 * Collector's inverted one.
 */
final class AttributeMatch implements PolicyEvaluator {

  private final String key;
  private final Predicate<AnyValue> test;
  private final boolean invert;

  AttributeMatch(String key, Predicate<AnyValue> test, boolean invert) {
    this.key = key;
    this.test = test;
    this.invert = invert;
  }

  @Override
  public Decision evaluate(BufferedTrace trace) {
    boolean matched = trace.anySpan((rs, span) ->
        matches(rs.getResource().getAttributesList()) || matches(span.getAttributesList()));
    if (invert) {
      return matched ? Decision.INVERT_NOT_SAMPLED : Decision.INVERT_SAMPLED;
    }
    return matched ? Decision.SAMPLED : Decision.NOT_SAMPLED;
  }

  private boolean matches(List<KeyValue> attributes) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key) && test.test(kv.getValue())) {
        return true;
      }
    }
    return false;
  }
}
