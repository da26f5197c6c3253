package io.vigil.processor.ottl.internal;

import java.util.List;
import org.antlr.v4.runtime.Token;

/**
 * One compiled function argument: its expression, and what the function may need to know of its
 * form (a literal fixed at parse time, a path it may write, a list literal's items).
 */
record Arg(String name, Token at, Expr expr, boolean isLiteral, Object literal, Target target, List<Arg> items) {

  static Arg of(Token at, Expr expr) {
    return new Arg(null, at, expr, false, null, null, null);
  }

  static Arg literal(Token at, Object value) {
    return new Arg(null, at, c -> value, true, value, null, null);
  }

  Arg named(String n) {
    return new Arg(n, at, expr, isLiteral, literal, target, items);
  }
}
