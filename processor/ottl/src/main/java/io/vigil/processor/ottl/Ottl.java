package io.vigil.processor.ottl;

import io.vigil.processor.ottl.internal.Compiler;
import io.vigil.processor.ottl.internal.Syntax;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * Parses and compiles OTTL. Errors are {@link OttlSyntaxException}s with the line and column
 * of the fault; a caller adds the config key path.
 */
public final class Ottl {
  private Ottl() {}

  /** A condition in {@code context}, whose fields may be written with or without prefix. */
  public static OttlCondition condition(String text, OttlContext context) {
    return new OttlCondition(text, context, new Compiler(context, false).condition(Syntax.condition(text)));
  }

  /** A statement in {@code context}, whose fields may be written with or without prefix. */
  public static OttlStatement statement(String text, OttlContext context) {
    return new OttlStatement(text, context, new Compiler(context, false).statement(Syntax.statement(text)));
  }

  /**
   * A statement of a group whose context was inferred: every path must carry a context prefix,
   * as in the Collector's statements without a {@code context:}.
   */
  public static OttlStatement prefixedStatement(String text, OttlContext context) {
    return new OttlStatement(text, context, new Compiler(context, true).statement(Syntax.statement(text)));
  }

  /** A condition of a group whose context was inferred (prefixes required). */
  public static OttlCondition prefixedCondition(String text, OttlContext context) {
    return new OttlCondition(text, context, new Compiler(context, true).condition(Syntax.condition(text)));
  }

  /**
   * The context a group of statements and conditions runs in when none is given: the deepest
   * context their path prefixes name, among {@code allowed} (the signal's). A prefix outside
   * {@code allowed} is an error at its column; so is a group with no prefix at all.
   *
   * @throws IndexedSyntaxException naming which text of the group is at fault
   */
  public static OttlContext inferContext(List<String> statements, List<String> conditions,
      Collection<OttlContext> allowed) {
    OttlContext deepest = null;
    for (int g = 0; g < 2; g++) {
      List<String> texts = g == 0 ? statements : conditions;
      for (int i = 0; i < texts.size(); i++) {
        ParseTree tree;
        try {
          tree = g == 0 ? Syntax.statement(texts.get(i)) : Syntax.condition(texts.get(i));
        } catch (OttlSyntaxException e) {
          throw new IndexedSyntaxException(g == 0, i, e);
        }
        List<Syntax.Prefix> prefixes = new java.util.ArrayList<>(Syntax.prefixes(tree));
        if (tree instanceof io.vigil.processor.ottl.grammar.OttlParser.StatementContext st
            && Compiler.requiredContext(st) != null) {
          prefixes.add(new Syntax.Prefix(Compiler.requiredContext(st), st.getStart()));
        }
        for (Syntax.Prefix p : prefixes) {
          if (!allowed.contains(p.context())) {
            throw new IndexedSyntaxException(g == 0, i, at(p.at(), p.context().key()
                + " paths cannot be used here; this signal's contexts are " + keys(allowed)));
          }
          if (deepest == null || p.context().depth() > deepest.depth()) {
            deepest = p.context();
          }
        }
      }
    }
    if (deepest == null) {
      throw new IndexedSyntaxException(true, 0, new OttlSyntaxException(1, 1,
          "cannot infer the context: no path names one (write span.name, resource.attributes[...]"
              + " and the like, or give the group a context:)"));
    }
    return deepest;
  }

  private static OttlSyntaxException at(Token t, String problem) {
    return new OttlSyntaxException(t.getLine(), t.getCharPositionInLine() + 1, problem);
  }

  private static String keys(Collection<OttlContext> contexts) {
    return contexts.stream().map(OttlContext::key).collect(Collectors.joining(", "));
  }

  /** A syntax error in one text of a group: which list (statements or conditions) and index. */
  public static final class IndexedSyntaxException extends RuntimeException {
    private final boolean statement;
    private final int index;
    private final OttlSyntaxException error;

    IndexedSyntaxException(boolean statement, int index, OttlSyntaxException error) {
      super(error.getMessage(), error);
      this.statement = statement;
      this.index = index;
      this.error = error;
    }

    public boolean inStatements() {
      return statement;
    }

    public int index() {
      return index;
    }

    public OttlSyntaxException error() {
      return error;
    }
  }
}
