package io.vigil.processor.transform;

import io.vigil.processor.ottl.ErrorHandler;
import io.vigil.processor.ottl.OttlCondition;
import io.vigil.processor.ottl.OttlEvaluationException;
import io.vigil.processor.ottl.OttlStatement;
import io.vigil.processor.ottl.RecordContext;
import org.slf4j.Logger;

/**
 * Runs one group on one record: the statements in order when any condition holds (or there are
 * none). A failing condition counts as false, a failing statement is skipped, unless the group's
 * error mode propagates.
 */
final class GroupRunner {
  final StatementGroups.Group group;
  private final ErrorHandler errors;

  GroupRunner(StatementGroups.Group group, Logger log) {
    this.group = group;
    this.errors = new ErrorHandler(group.errorMode(), log);
  }

  void run(RecordContext c) {
    if (!conditionsHold(c)) {
      return;
    }
    for (OttlStatement s : group.statements()) {
      try {
        s.execute(c);
      } catch (OttlEvaluationException e) {
        errors.handle(e);
      }
    }
  }

  private boolean conditionsHold(RecordContext c) {
    if (group.conditions().isEmpty()) {
      return true;
    }
    for (OttlCondition cond : group.conditions()) {
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
