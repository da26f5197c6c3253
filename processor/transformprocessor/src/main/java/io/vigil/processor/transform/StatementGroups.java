package io.vigil.processor.transform;

import io.vigil.core.config.ConfigException;
import io.vigil.processor.ottl.ErrorMode;
import io.vigil.processor.ottl.Ottl;
import io.vigil.processor.ottl.OttlCondition;
import io.vigil.processor.ottl.OttlContext;
import io.vigil.processor.ottl.OttlStatement;
import io.vigil.processor.ottl.OttlSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one {@code <signal>_statements} list into compiled groups. Consecutive strings form one
 * group whose context is inferred from their path prefixes, as the Collector does for its basic
 * style; a mapping is a group of the advanced style. Every error names the list entry (and the
 * statement or condition inside it) and the line and column.
 */
final class StatementGroups {
  private static final Set<String> GROUP_KEYS = Set.of("context", "error_mode", "conditions", "statements");

  /** A compiled group: the context it walks, its conditions (ORed; none: always) and statements. */
  record Group(OttlContext context, ErrorMode errorMode, List<OttlCondition> conditions,
      List<OttlStatement> statements) {}

  private StatementGroups() {}

  static List<Group> compile(List<Object> entries, String key, Set<OttlContext> contexts, ErrorMode defaultMode) {
    List<Group> out = new ArrayList<>();
    if (entries == null) {
      return out;
    }
    int i = 0;
    while (i < entries.size()) {
      Object e = entries.get(i);
      String path = key + "::" + i;
      if (e instanceof String) {
        int from = i;
        List<String> texts = new ArrayList<>();
        while (i < entries.size() && entries.get(i) instanceof String s) {
          texts.add(s);
          i++;
        }
        out.add(inferred(texts, List.of(), key, from, contexts, defaultMode, true));
        continue;
      }
      if (!(e instanceof Map<?, ?> m)) {
        throw new ConfigException(path, "expected a statement (string) or a group (mapping), found "
            + (e == null ? "nothing" : e.getClass().getSimpleName()));
      }
      out.add(group(m, path, contexts, defaultMode));
      i++;
    }
    return out;
  }

  private static Group group(Map<?, ?> m, String path, Set<OttlContext> contexts, ErrorMode defaultMode) {
    for (Object k : m.keySet()) {
      if (!GROUP_KEYS.contains(String.valueOf(k))) {
        throw new ConfigException(path + "::" + k, "unknown key \"" + k + "\"; valid keys here: "
            + String.join(", ", new TreeSet<>(GROUP_KEYS)));
      }
    }
    ErrorMode mode = defaultMode;
    if (m.get("error_mode") != null) {
      mode = ErrorMode.parse(String.valueOf(m.get("error_mode")));
      if (mode == null) {
        throw new ConfigException(path + "::error_mode", "must be ignore, silent or propagate, not \""
            + m.get("error_mode") + "\"");
      }
    }
    List<String> statements = strings(m.get("statements"), path + "::statements");
    if (statements.isEmpty()) {
      throw new ConfigException(path + "::statements", "required: at least one statement");
    }
    List<String> conditions = strings(m.get("conditions"), path + "::conditions");
    Object ctx = m.get("context");
    if (ctx == null) {
      return inferred(statements, conditions, path, -1, contexts, mode, false);
    }
    OttlContext context = OttlContext.byKey(String.valueOf(ctx));
    if (context == null || !contexts.contains(context)) {
      throw new ConfigException(path + "::context", "unknown context \"" + ctx + "\" here; valid: " + keys(contexts));
    }
    List<OttlStatement> compiled = new ArrayList<>();
    for (int j = 0; j < statements.size(); j++) {
      try {
        compiled.add(Ottl.statement(statements.get(j), context));
      } catch (OttlSyntaxException e) {
        throw new ConfigException(path + "::statements::" + j, e.getMessage());
      }
    }
    List<OttlCondition> conds = new ArrayList<>();
    for (int j = 0; j < conditions.size(); j++) {
      try {
        conds.add(Ottl.condition(conditions.get(j), context));
      } catch (OttlSyntaxException e) {
        throw new ConfigException(path + "::conditions::" + j, e.getMessage());
      }
    }
    return new Group(context, mode, conds, compiled);
  }

  /**
   * A group without a context: the deepest context its prefixes name. {@code basic}: the texts
   * are entries {@code from, from+1, ...} of the list at {@code path}; otherwise they are the
   * statements and conditions of the group at {@code path}.
   */
  private static Group inferred(List<String> statements, List<String> conditions, String path, int from,
      Set<OttlContext> contexts, ErrorMode mode, boolean basic) {
    OttlContext context;
    try {
      context = Ottl.inferContext(statements, conditions, contexts);
    } catch (Ottl.IndexedSyntaxException e) {
      throw new ConfigException(where(path, from, basic, e.inStatements(), e.index()), e.error().getMessage());
    }
    List<OttlStatement> compiled = new ArrayList<>();
    for (int j = 0; j < statements.size(); j++) {
      try {
        compiled.add(Ottl.prefixedStatement(statements.get(j), context));
      } catch (OttlSyntaxException e) {
        throw new ConfigException(where(path, from, basic, true, j), e.getMessage());
      }
    }
    List<OttlCondition> conds = new ArrayList<>();
    for (int j = 0; j < conditions.size(); j++) {
      try {
        conds.add(Ottl.prefixedCondition(conditions.get(j), context));
      } catch (OttlSyntaxException e) {
        throw new ConfigException(where(path, from, basic, false, j), e.getMessage());
      }
    }
    return new Group(context, mode, conds, compiled);
  }

  private static String where(String path, int from, boolean basic, boolean statement, int index) {
    if (basic) {
      return path + "::" + (from + index);
    }
    return path + (statement ? "::statements::" : "::conditions::") + index;
  }

  private static List<String> strings(Object v, String path) {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw new ConfigException(path, "expected a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      if (!(l.get(i) instanceof String s) || s.isBlank()) {
        throw new ConfigException(path + "::" + i, "expected an OTTL string");
      }
      out.add(s);
    }
    return out;
  }

  private static String keys(Set<OttlContext> contexts) {
    return String.join(", ", contexts.stream().map(OttlContext::key).toList());
  }
}
