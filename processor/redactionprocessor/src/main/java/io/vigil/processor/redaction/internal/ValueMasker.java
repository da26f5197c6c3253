package io.vigil.processor.redaction.internal;

import java.util.function.UnaryOperator;

/** Masks the secret parts of one value. */
public interface ValueMasker {

  /**
   * The value with each secret part replaced by {@code replacement.apply(part)}; the same
   * instance when nothing matched.
   */
  String mask(String value, UnaryOperator<String> replacement);
}
