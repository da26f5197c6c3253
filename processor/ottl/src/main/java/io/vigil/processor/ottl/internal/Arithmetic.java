package io.vigil.processor.ottl.internal;

import io.vigil.processor.ottl.OttlEvaluationException;
import io.vigil.processor.ottl.grammar.OttlParser;

/** OTTL's math on ints and doubles: int with int stays int, anything with a double is double. */
final class Arithmetic {
  private Arithmetic() {}

  static Object apply(int op, Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return switch (op) {
        case OttlParser.PLUS -> x + y;
        case OttlParser.MINUS -> x - y;
        case OttlParser.STAR -> x * y;
        default -> {
          if (y == 0) {
            throw new OttlEvaluationException("division by zero");
          }
          yield x / y;
        }
      };
    }
    if (a instanceof Number x && b instanceof Number y) {
      double l = x.doubleValue();
      double r = y.doubleValue();
      return switch (op) {
        case OttlParser.PLUS -> l + r;
        case OttlParser.MINUS -> l - r;
        case OttlParser.STAR -> l * r;
        default -> {
          if (r == 0) {
            throw new OttlEvaluationException("division by zero");
          }
          yield l / r;
        }
      };
    }
    throw new OttlEvaluationException("cannot apply " + OttlParser.VOCABULARY.getLiteralName(op)
        + " to " + Values.typeName(a) + " and " + Values.typeName(b));
  }
}
