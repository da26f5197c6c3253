package io.vigil.processor.ottl.internal;

import io.vigil.processor.ottl.OttlContext;
import io.vigil.processor.ottl.OttlSyntaxException;
import io.vigil.processor.ottl.grammar.OttlLexer;
import io.vigil.processor.ottl.grammar.OttlParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * Runs the generated parser and turns its first error into an {@link OttlSyntaxException} that
 * says where, what was found and what would have been accepted. The parser stops at the first
 * error (no recovery), so a broken statement costs no more than a good one.
 */
public final class Syntax {
  private static final Set<Integer> VALUE_STARTS = Set.of(OttlParser.NIL, OttlParser.STRING,
      OttlParser.BYTES, OttlParser.TRUE, OttlParser.FALSE, OttlParser.UPPER_IDENT, OttlParser.LBRACK,
      OttlParser.LBRACE, OttlParser.LPAREN, OttlParser.MINUS, OttlParser.INT, OttlParser.FLOAT,
      OttlParser.LOWER_IDENT);

  private static final int MAX_TOKENS = 2000;
  private static final int MAX_DEPTH = 64;

  private Syntax() {}

  public static OttlParser.StatementContext statement(String text) {
    OttlParser p = parser(text);
    try {
      return p.statement();
    } catch (ParseCancellationException e) {
      throw describe(e, p);
    }
  }

  public static OttlParser.ConditionContext condition(String text) {
    OttlParser p = parser(text);
    try {
      return p.condition();
    } catch (ParseCancellationException e) {
      throw describe(e, p);
    }
  }

  /** The contexts that paths in {@code tree} name as their prefix ({@code span.name}: span). */
  public static List<Prefix> prefixes(ParseTree tree) {
    List<Prefix> out = new ArrayList<>();
    collect(tree, out);
    return out;
  }

  /** A path's context prefix and where it was written. */
  public record Prefix(OttlContext context, Token at) {}

  private static void collect(ParseTree t, List<Prefix> out) {
    if (t instanceof OttlParser.PathContext p && p.LOWER_IDENT().size() > 1) {
      OttlContext c = OttlContext.byKey(p.LOWER_IDENT(0).getText());
      if (c != null) {
        out.add(new Prefix(c, p.getStart()));
      }
    }
    for (int i = 0; i < t.getChildCount(); i++) {
      collect(t.getChild(i), out);
    }
  }

  private static OttlParser parser(String text) {
    OttlLexer lexer = new OttlLexer(CharStreams.fromString(text == null ? "" : text));
    lexer.removeErrorListeners();
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    checkSize(tokens);
    OttlParser p = new OttlParser(tokens);
    p.removeErrorListeners();
    p.setErrorHandler(new FirstErrorStrategy());
    return p;
  }

  /**
   * Refuses texts whose parse tree would be deep enough to overflow the stack of the recursive
   * parser or compiler: bounds far beyond any real statement, checked before parsing.
   */
  private static void checkSize(CommonTokenStream tokens) {
    tokens.fill();
    List<Token> all = tokens.getTokens();
    if (all.size() > MAX_TOKENS) {
      Token t = all.get(MAX_TOKENS);
      throw new OttlSyntaxException(t.getLine(), t.getCharPositionInLine() + 1,
          "statement too long: more than " + MAX_TOKENS + " tokens");
    }
    int depth = 0;
    for (Token t : all) {
      switch (t.getType()) {
        case OttlLexer.LPAREN, OttlLexer.LBRACK, OttlLexer.LBRACE, OttlLexer.NOT, OttlLexer.MINUS -> depth++;
        case OttlLexer.RPAREN, OttlLexer.RBRACK, OttlLexer.RBRACE -> depth = Math.max(0, depth - 1);
        default -> { }
      }
      if (depth > MAX_DEPTH) {
        throw new OttlSyntaxException(t.getLine(), t.getCharPositionInLine() + 1,
            "nested too deeply: more than " + MAX_DEPTH + " levels of brackets, not or minus signs");
      }
    }
  }

  private static OttlSyntaxException describe(ParseCancellationException e, OttlParser p) {
    Token found = p.getCurrentToken();
    IntervalSet expected = null;
    if (e.getCause() instanceof RecognitionException re) {
      if (re.getOffendingToken() != null) {
        found = re.getOffendingToken();
      }
      try {
        expected = re.getExpectedTokens();
      } catch (RuntimeException ignored) {
        // Some states cannot say what they expected; the message then names what was found.
      }
      expected = withListComma(expected, re.getCtx());
    }
    int line = found.getLine();
    int column = found.getCharPositionInLine() + 1;
    if (found.getType() == OttlLexer.UNTERMINATED_STRING) {
      return new OttlSyntaxException(line, column, "string not closed: a \" is missing");
    }
    if (found.getType() == OttlLexer.UNKNOWN_CHAR) {
      return new OttlSyntaxException(line, column, "unexpected character '" + found.getText() + "'"
          + (expected == null || expected.isNil() ? "" : "; expected " + names(expected)));
    }
    String what = found.getType() == Token.EOF ? "end of input" : "'" + found.getText() + "'";
    String message = "unexpected " + what;
    if (expected != null && !expected.isNil()) {
      message += "; expected " + names(expected);
    }
    return new OttlSyntaxException(line, column, message);
  }

  /**
   * Once the last item of an argument list, list or map is parsed the parser has left the loop
   * that would take a comma, and expects only the closing bracket; a missing comma is the likelier
   * mistake, so the message offers both.
   */
  private static IntervalSet withListComma(IntervalSet expected, org.antlr.v4.runtime.RuleContext ctx) {
    if (expected == null) {
      return null;
    }
    boolean inList = ctx instanceof OttlParser.EditorContext e && e.arguments() != null
        && expected.contains(OttlParser.RPAREN)
        || ctx instanceof OttlParser.ConverterContext c && c.arguments() != null && expected.contains(OttlParser.RPAREN)
        || ctx instanceof OttlParser.ListContext l && !l.value().isEmpty() && expected.contains(OttlParser.RBRACK)
        || ctx instanceof OttlParser.MapContext m && !m.mapItem().isEmpty() && expected.contains(OttlParser.RBRACE);
    if (!inList || expected.contains(OttlParser.COMMA)) {
      return expected;
    }
    IntervalSet out = new IntervalSet(expected);
    out.add(OttlParser.COMMA);
    return out;
  }

  private static String names(IntervalSet expected) {
    List<Integer> types = new ArrayList<>(expected.toList());
    // End of input reads best last: "expected one of 'where', end of input".
    if (types.remove(Integer.valueOf(Token.EOF))) {
      types.add(Token.EOF);
    }
    List<String> out = new ArrayList<>();
    Set<Integer> shown = new java.util.HashSet<>();
    if (types.containsAll(List.of(OttlParser.STRING, OttlParser.INT, OttlParser.LOWER_IDENT))) {
      out.add("a value (string, number, bool, nil, path, converter, enum, list or map)");
      shown.addAll(VALUE_STARTS);
    }
    for (int t : types) {
      if (shown.add(t)) {
        out.add(name(t));
      }
    }
    if (out.size() == 1) {
      return out.get(0);
    }
    return "one of " + String.join(", ", out);
  }

  private static String name(int type) {
    return switch (type) {
      case Token.EOF -> "end of input";
      case OttlParser.STRING -> "a string";
      case OttlParser.INT -> "an int";
      case OttlParser.FLOAT -> "a float";
      case OttlParser.BYTES -> "bytes (0x...)";
      case OttlParser.UPPER_IDENT -> "a converter or enum";
      case OttlParser.LOWER_IDENT -> "a name (path or editor)";
      default -> {
        String literal = OttlParser.VOCABULARY.getLiteralName(type);
        yield literal != null ? literal : OttlParser.VOCABULARY.getDisplayName(type);
      }
    };
  }
}
