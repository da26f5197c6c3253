package io.vigil.processor.ottl.internal;

import io.vigil.processor.ottl.RecordContext;

/** A path an editor can write: the Collector's GetSetter. */
public interface Target extends Expr {
  void set(RecordContext c, Object value);
}
