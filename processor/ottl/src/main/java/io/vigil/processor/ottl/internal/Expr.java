package io.vigil.processor.ottl.internal;

import io.vigil.processor.ottl.RecordContext;

/**
 * A compiled value expression. Values are plain Java: String, Long, Double, Boolean, null,
 * ByteString for bytes, List for arrays and LinkedHashMap for maps (fresh copies, so an editor
 * may change what it read and write it back).
 */
@FunctionalInterface
public interface Expr {
  Object eval(RecordContext c);
}
