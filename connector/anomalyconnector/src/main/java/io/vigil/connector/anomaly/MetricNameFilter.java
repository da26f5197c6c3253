package io.vigil.connector.anomaly;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.vigil.core.config.ConfigException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which metrics the connector scores, by name: {@code metrics::include} (empty = all) then
 * {@code metrics::exclude}, regular expressions matched against the whole name. A gateway sees
 * few distinct names, so each answer is remembered.
 */
final class MetricNameFilter {

  private static final int MAX_REMEMBERED = 10_000;

  private final List<Pattern> include;
  private final List<Pattern> exclude;
  private final Map<String, Boolean> decided = new HashMap<>();

  MetricNameFilter(MetricAnomalyConfig.MetricNames names) {
    this.include = names.include.stream().map(Pattern::compile).toList();
    this.exclude = names.exclude.stream().map(Pattern::compile).toList();
  }

  /** Whether metrics of this name are scored. */
  boolean scores(String name) {
    if (include.isEmpty() && exclude.isEmpty()) {
      return true;
    }
    Boolean known = decided.get(name);
    if (known != null) {
      return known;
    }
    boolean in = (include.isEmpty() || matchesAny(include, name)) && !matchesAny(exclude, name);
    if (decided.size() >= MAX_REMEMBERED) {
      decided.clear();
    }
    decided.put(name, in);
    return in;
  }

  private static boolean matchesAny(List<Pattern> patterns, String name) {
    for (Pattern p : patterns) {
      if (p.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  /** Refuses a missing list, an empty entry or one that is no regular expression. */
  static void validate(List<String> patterns, String key) {
    if (patterns == null) {
      throw new ConfigException(key, "must be a list of regular expressions");
    }
    for (int i = 0; i < patterns.size(); i++) {
      String p = patterns.get(i);
      if (p == null || p.isEmpty()) {
        throw new ConfigException(key + "::" + i, "must not be empty");
      }
      try {
        Pattern.compile(p);
      } catch (PatternSyntaxException e) {
        throw new ConfigException(key + "::" + i, "is not a regular expression (Go/RE2 syntax:"
            + " no look-around or back-references): " + e.getDescription());
      }
    }
  }
}
