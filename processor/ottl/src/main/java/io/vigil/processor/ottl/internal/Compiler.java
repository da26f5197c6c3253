package io.vigil.processor.ottl.internal;

import com.google.protobuf.ByteString;
import io.vigil.processor.ottl.OttlContext;
import io.vigil.processor.ottl.OttlEvaluationException;
import io.vigil.processor.ottl.OttlSyntaxException;
import io.vigil.processor.ottl.RecordContext;
import io.vigil.processor.ottl.grammar.OttlParser;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Turns a parse tree into evaluators for one context: paths resolved to fields, functions bound
 * to their checked arguments, literals decoded. Every error names the line and column of the
 * part at fault.
 */
public final class Compiler {
  /** A compiled boolean expression. */
  @FunctionalInterface
  public interface Cond {
    boolean test(RecordContext c);
  }

  /** A compiled editor call with its where clause. */
  public record Statement(Functions.Editor editor, Cond where) {}

  private final OttlContext context;
  private final boolean prefixRequired;

  /**
   * @param prefixRequired whether every path must name its context ({@code span.name}): so for
   *     statements whose context was inferred from their prefixes, as in the Collector
   */
  public Compiler(OttlContext context, boolean prefixRequired) {
    this.context = context;
    this.prefixRequired = prefixRequired;
  }

  /** The one context the statement's editor may run in (convert_sum_to_gauge: metric), or null. */
  public static OttlContext requiredContext(OttlParser.StatementContext s) {
    Functions.Spec<Functions.Editor> spec = Functions.EDITORS.get(s.editor().LOWER_IDENT().getText());
    return spec == null ? null : spec.only();
  }

  public Statement statement(OttlParser.StatementContext s) {
    Functions.Editor editor = editor(s.editor());
    Cond where = s.whereClause() == null ? c -> true : bool(s.whereClause().booleanExpression());
    return new Statement(editor, where);
  }

  public Cond condition(OttlParser.ConditionContext c) {
    return bool(c.booleanExpression());
  }

  private Functions.Editor editor(OttlParser.EditorContext e) {
    String name = e.LOWER_IDENT().getText();
    Functions.Spec<Functions.Editor> spec = Functions.EDITORS.get(name);
    if (spec == null) {
      String hint = Functions.CONVERTERS.containsKey(capitalised(name))
          ? "; converters are capitalised (" + capitalised(name) + ") and go inside an editor such as set"
          : "; editors: " + String.join(", ", Functions.editorNames());
      throw error(e.getStart(), "unknown editor \"" + name + "\"" + hint);
    }
    if (spec.only() != null && spec.only() != context) {
      throw error(e.getStart(), name + " can only be used in the " + spec.only().key() + " context, not in "
          + context.key() + " (put it in a statement group of its own)");
    }
    return spec.factory().apply(args(spec, e.getStart(), e.arguments()));
  }

  private Expr converter(OttlParser.ConverterContext cv) {
    String name = cv.UPPER_IDENT().getText();
    Functions.Spec<Expr> spec = Functions.CONVERTERS.get(name);
    if (spec == null) {
      String hint = Functions.EDITORS.containsKey(name.toLowerCase(java.util.Locale.ROOT))
          ? "; " + name.toLowerCase(java.util.Locale.ROOT) + " is an editor and cannot be used as a value"
          : "; converters: " + String.join(", ", Functions.converterNames());
      throw error(cv.getStart(), "unknown converter \"" + name + "\"" + hint);
    }
    Expr call = spec.factory().apply(args(spec, cv.getStart(), cv.arguments()));
    return cv.key().isEmpty() ? call : new Keyed(call, keys(cv.key()));
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private Functions.Args args(Functions.Spec<?> spec, Token call, OttlParser.ArgumentsContext list) {
    List<OttlParser.ArgumentContext> given = list == null ? List.of() : list.argument();
    Arg[] slots = new Arg[spec.params().size()];
    boolean named = false;
    for (int i = 0; i < given.size(); i++) {
      OttlParser.ArgumentContext a = given.get(i);
      Arg arg = value(a.value());
      int slot;
      if (a.LOWER_IDENT() != null) {
        named = true;
        String n = a.LOWER_IDENT().getText();
        slot = spec.params().indexOf(n);
        if (slot < 0) {
          throw error(a.getStart(), spec.name() + " has no parameter \"" + n + "\"; its parameters: "
              + String.join(", ", spec.params()));
        }
        if (slots[slot] != null) {
          throw error(a.getStart(), spec.name() + ": " + n + " is given twice");
        }
      } else {
        if (named) {
          throw error(a.getStart(), spec.name() + ": a positional argument cannot follow a named one");
        }
        slot = i;
        if (slot >= slots.length) {
          throw error(a.getStart(), spec.name() + " takes at most " + slots.length + " arguments ("
              + String.join(", ", spec.params()) + "), got " + given.size());
        }
      }
      slots[slot] = arg;
    }
    for (int i = 0; i < spec.required(); i++) {
      if (slots[i] == null) {
        throw error(call, spec.name() + " needs " + spec.required() + " arguments ("
            + String.join(", ", spec.params().subList(0, spec.required())) + "); "
            + spec.params().get(i) + " is missing");
      }
    }
    return new Functions.Args(spec.name(), call, slots);
  }

  private Cond bool(OttlParser.BooleanExpressionContext b) {
    if (b instanceof OttlParser.NotExpressionContext n) {
      Cond inner = bool(n.booleanExpression());
      return c -> !inner.test(c);
    }
    if (b instanceof OttlParser.AndExpressionContext a) {
      Cond l = bool(a.booleanExpression(0));
      Cond r = bool(a.booleanExpression(1));
      return c -> l.test(c) && r.test(c);
    }
    if (b instanceof OttlParser.OrExpressionContext o) {
      Cond l = bool(o.booleanExpression(0));
      Cond r = bool(o.booleanExpression(1));
      return c -> l.test(c) || r.test(c);
    }
    if (b instanceof OttlParser.GroupedExpressionContext g) {
      return bool(g.booleanExpression());
    }
    if (b instanceof OttlParser.BooleanLiteralContext l) {
      boolean v = l.TRUE() != null;
      return c -> v;
    }
    if (b instanceof OttlParser.ConverterConditionContext cc) {
      Expr e = converter(cc.converter());
      String name = cc.converter().UPPER_IDENT().getText();
      return c -> {
        Object v = e.eval(c);
        if (v instanceof Boolean x) {
          return x;
        }
        throw new OttlEvaluationException("condition " + name + " returned " + Values.typeName(v) + ", not a bool");
      };
    }
    OttlParser.ComparisonContext cmp = (OttlParser.ComparisonContext) b;
    Expr l = value(cmp.value(0)).expr();
    Expr r = value(cmp.value(1)).expr();
    Token op = cmp.comparisonOp().getStart();
    return switch (op.getType()) {
      case OttlParser.EQ -> c -> Values.equal(l.eval(c), r.eval(c));
      case OttlParser.NE -> c -> !Values.equal(l.eval(c), r.eval(c));
      case OttlParser.LT -> c -> ordered(l.eval(c), r.eval(c), o -> o < 0);
      case OttlParser.LE -> c -> ordered(l.eval(c), r.eval(c), o -> o <= 0);
      case OttlParser.GT -> c -> ordered(l.eval(c), r.eval(c), o -> o > 0);
      default -> c -> ordered(l.eval(c), r.eval(c), o -> o >= 0);
    };
  }

  private static boolean ordered(Object a, Object b, java.util.function.IntPredicate p) {
    Integer o = Values.order(a, b);
    return o != null && p.test(o);
  }

  private Arg value(OttlParser.ValueContext v) {
    Token at = v.getStart();
    if (v instanceof OttlParser.NilValueContext) {
      return Arg.literal(at, null);
    }
    if (v instanceof OttlParser.StringValueContext s) {
      return Arg.literal(at, unquote(s.STRING().getSymbol()));
    }
    if (v instanceof OttlParser.BytesValueContext b) {
      return Arg.literal(at, bytes(b.BYTES().getSymbol()));
    }
    if (v instanceof OttlParser.BoolValueContext b) {
      return Arg.literal(at, b.TRUE() != null);
    }
    if (v instanceof OttlParser.EnumValueContext e) {
      String symbol = e.UPPER_IDENT().getText();
      Long value = Enums.value(symbol);
      if (value == null) {
        throw error(at, "unknown enum " + symbol + (Functions.CONVERTERS.containsKey(symbol)
            ? "; to call the converter write " + symbol + "(...)" : ""));
      }
      return Arg.literal(at, value);
    }
    if (v instanceof OttlParser.ListValueContext l) {
      List<Arg> items = new ArrayList<>();
      for (OttlParser.ValueContext item : l.list().value()) {
        items.add(value(item));
      }
      List<Expr> exprs = items.stream().map(Arg::expr).toList();
      boolean constant = items.stream().allMatch(Arg::isLiteral);
      Expr e = c -> {
        List<Object> out = new ArrayList<>(exprs.size());
        for (Expr x : exprs) {
          out.add(x.eval(c));
        }
        return out;
      };
      return new Arg(null, at, e, constant, constant ? e.eval(null) : null, null, items);
    }
    if (v instanceof OttlParser.MapValueContext m) {
      Map<String, Expr> entries = new LinkedHashMap<>();
      for (OttlParser.MapItemContext item : m.map().mapItem()) {
        entries.put(unquote(item.STRING().getSymbol()), value(item.value()).expr());
      }
      return Arg.of(at, c -> {
        Map<String, Object> out = new LinkedHashMap<>();
        entries.forEach((k, x) -> out.put(k, x.eval(c)));
        return out;
      });
    }
    return math(((OttlParser.MathValueContext) v).mathExpression());
  }

  private Arg math(OttlParser.MathExpressionContext m) {
    Token at = m.getStart();
    if (m instanceof OttlParser.NumberLiteralContext n) {
      boolean negative = n.MINUS() != null;
      if (n.INT() != null) {
        String digits = (negative ? "-" : "") + n.INT().getText();
        try {
          return Arg.literal(at, Long.parseLong(digits));
        } catch (NumberFormatException e) {
          throw error(at, "integer " + digits + " does not fit in 64 bits");
        }
      }
      double d = Double.parseDouble(n.FLOAT().getText());
      return Arg.literal(at, negative ? -d : d);
    }
    if (m instanceof OttlParser.GroupedMathContext g) {
      return math(g.mathExpression());
    }
    if (m instanceof OttlParser.PathTermContext p) {
      Target t = path(p.path());
      return new Arg(null, at, t, false, null, t, null);
    }
    if (m instanceof OttlParser.ConverterTermContext cv) {
      return Arg.of(at, converter(cv.converter()));
    }
    OttlParser.MathExpressionContext left;
    OttlParser.MathExpressionContext right;
    Token op;
    if (m instanceof OttlParser.MultiplicativeContext x) {
      left = x.mathExpression(0);
      right = x.mathExpression(1);
      op = x.getChild(TerminalNode.class, 0).getSymbol();
    } else {
      OttlParser.AdditiveContext x = (OttlParser.AdditiveContext) m;
      left = x.mathExpression(0);
      right = x.mathExpression(1);
      op = x.getChild(TerminalNode.class, 0).getSymbol();
    }
    Expr l = math(left).expr();
    Expr r = math(right).expr();
    int type = op.getType();
    return Arg.of(at, c -> Arithmetic.apply(type, l.eval(c), r.eval(c)));
  }

  private Target path(OttlParser.PathContext p) {
    List<TerminalNode> ids = p.LOWER_IDENT();
    Token at = p.getStart();
    OttlContext target = context;
    int first = 0;
    OttlContext named = OttlContext.byKey(ids.get(0).getText());
    if (named != null && ids.size() > 1) {
      if (!context.reachable().contains(named)) {
        throw error(at, "path " + joined(ids, 0) + " is not available in the " + context.key()
            + " context; it reaches " + reachableList());
      }
      target = named;
      first = 1;
    } else if (prefixRequired) {
      throw error(at, "path \"" + joined(ids, 0) + "\" needs a context prefix, one of " + reachableList()
          + " (or give the group a context:)");
    }
    String field = joined(ids, first);
    Target t = Paths.field(target, field);
    if (t == null) {
      throw error(ids.get(first).getSymbol(), "unknown path \"" + field + "\" in the " + target.key()
          + " context; valid: " + String.join(", ", Paths.names(target)));
    }
    return p.key().isEmpty() ? t : new Keyed(t, keys(p.key()));
  }

  private String reachableList() {
    return context.reachable().stream().map(OttlContext::key).reduce((a, b) -> a + ", " + b).orElse("");
  }

  private static String joined(List<TerminalNode> ids, int from) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < ids.size(); i++) {
      if (i > from) {
        b.append('.');
      }
      b.append(ids.get(i).getText());
    }
    return b.toString();
  }

  private List<Expr> keys(List<OttlParser.KeyContext> keys) {
    List<Expr> out = new ArrayList<>();
    for (OttlParser.KeyContext k : keys) {
      if (k.STRING() != null) {
        String s = unquote(k.STRING().getSymbol());
        out.add(new Keyed.Constant(s));
      } else if (k.INT() != null) {
        try {
          long i = Long.parseLong(k.INT().getText());
          out.add(new Keyed.Constant(i));
        } catch (NumberFormatException e) {
          throw error(k.INT().getSymbol(), "index " + k.INT().getText() + " does not fit in 64 bits");
        }
      } else if (k.path() != null) {
        out.add(path(k.path()));
      } else {
        out.add(converter(k.converter()));
      }
    }
    return out;
  }

  /** A string literal's text: Go's escapes, as the Collector unquotes it. */
  static String unquote(Token t) {
    String raw = t.getText();
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 1; i < raw.length() - 1; i++) {
      char ch = raw.charAt(i);
      if (ch != '\\') {
        out.append(ch);
        continue;
      }
      char e = raw.charAt(++i);
      switch (e) {
        case '\\', '"', '\'' -> out.append(e);
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'v' -> out.append('\u000b');
        case 'x', 'u', 'U' -> {
          int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          if (i + n >= raw.length() - 1 || !raw.substring(i + 1, i + 1 + n).matches("[0-9a-fA-F]{" + n + "}")) {
            throw new OttlSyntaxException(t.getLine(), t.getCharPositionInLine() + i,
                "\\" + e + " needs " + n + " hex digits");
          }
          int cp = Integer.parseInt(raw.substring(i + 1, i + 1 + n), 16);
          if (!Character.isValidCodePoint(cp)) {
            throw new OttlSyntaxException(t.getLine(), t.getCharPositionInLine() + i,
                "\\" + e + raw.substring(i + 1, i + 1 + n) + " is not a valid character");
          }
          out.appendCodePoint(cp);
          i += n;
        }
        default -> throw new OttlSyntaxException(t.getLine(), t.getCharPositionInLine() + i,
            "unknown escape \\" + e + " in a string; a backslash itself is written \\\\");
      }
    }
    return out.toString();
  }

  private static ByteString bytes(Token t) {
    String hex = t.getText().substring(2);
    if (hex.length() % 2 != 0) {
      throw new OttlSyntaxException(t.getLine(), t.getCharPositionInLine() + 1,
          "bytes " + t.getText() + " have an odd number of hex digits");
    }
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  private static OttlSyntaxException error(Token at, String problem) {
    return new OttlSyntaxException(at.getLine(), at.getCharPositionInLine() + 1, problem);
  }
}
