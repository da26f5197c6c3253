package io.vigil.processor.filter.internal;

import io.vigil.core.config.ConfigException;
import io.vigil.processor.ottl.ErrorHandler;
import io.vigil.processor.ottl.Ottl;
import io.vigil.processor.ottl.OttlCondition;
import io.vigil.processor.ottl.OttlContext;
import io.vigil.processor.ottl.OttlEvaluationException;
import io.vigil.processor.ottl.OttlSyntaxException;
import io.vigil.processor.ottl.RecordContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The conditions of one config list (e.g. {@code traces::span}), ORed: a record matching any of
 * them is dropped. A condition that fails on a record counts as not matching, unless the error
 * mode propagates the failure.
 */
public final class Conditions {
  private final List<OttlCondition> conditions;
  private final ErrorHandler errors;

  private Conditions(List<OttlCondition> conditions, ErrorHandler errors) {
    this.conditions = conditions;
    this.errors = errors;
  }

  /**
   * Compiles {@code texts} for {@code context}; an error names {@code keyPath::index} and the
   * line and column in the condition.
   */
  public static Conditions compile(List<String> texts, OttlContext context, String keyPath, ErrorHandler errors) {
    List<OttlCondition> out = new ArrayList<>();
    for (int i = 0; i < (texts == null ? 0 : texts.size()); i++) {
      String text = texts.get(i);
      String path = keyPath + "::" + i;
      if (text == null || text.isBlank()) {
        throw new ConfigException(path, "an empty condition");
      }
      try {
        out.add(Ottl.condition(text, context));
      } catch (OttlSyntaxException e) {
        throw new ConfigException(path, e.getMessage());
      }
    }
    return new Conditions(List.copyOf(out), errors);
  }

  public boolean isEmpty() {
    return conditions.isEmpty();
  }

  /** Whether any condition matches the record in {@code c}. */
  public boolean anyMatch(RecordContext c) {
    for (OttlCondition cond : conditions) {
      try {
        if (cond.matches(c)) {
          return true;
        }
      } catch (OttlEvaluationException e) {
        errors.handle(new OttlEvaluationException(cond + ": " + e.getMessage(), e));
      }
    }
    return false;
  }
}
