package io.vigil.processor.ottl;

import io.vigil.processor.ottl.internal.Compiler;

/** A compiled OTTL statement: an editor that runs on a record when its where clause holds. */
public final class OttlStatement {
  private final String text;
  private final OttlContext context;
  private final Compiler.Statement statement;

  OttlStatement(String text, OttlContext context, Compiler.Statement statement) {
    this.text = text;
    this.context = context;
    this.statement = statement;
  }

  /**
   * Runs the statement on the record in {@code c} (whose records must be builders).
   *
   * @return whether the where clause held and the editor ran
   * @throws OttlEvaluationException when the statement cannot be evaluated on this record
   */
  public boolean execute(RecordContext c) {
    try {
      if (!statement.where().test(c)) {
        return false;
      }
      statement.editor().apply(c);
      return true;
    } catch (OttlEvaluationException e) {
      throw new OttlEvaluationException(text + ": " + e.getMessage(), e);
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
