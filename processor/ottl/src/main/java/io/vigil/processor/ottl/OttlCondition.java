package io.vigil.processor.ottl;

import io.vigil.processor.ottl.internal.Compiler;

/** A compiled OTTL condition: true or false for one record of its context. */
public final class OttlCondition {
  private final String text;
  private final OttlContext context;
  private final Compiler.Cond cond;

  OttlCondition(String text, OttlContext context, Compiler.Cond cond) {
    this.text = text;
    this.context = context;
    this.cond = cond;
  }

  /**
   * Whether the record in {@code c} meets the condition.
   *
   * @throws OttlEvaluationException when the condition cannot be evaluated on this record
   */
  public boolean matches(RecordContext c) {
    try {
      return cond.test(c);
    } catch (OttlEvaluationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new OttlEvaluationException(text + ": " + e, e);
    }
  }

  public OttlContext context() {
    return context;
  }

  @Override
  public String toString() {
    return text;
  }
}
