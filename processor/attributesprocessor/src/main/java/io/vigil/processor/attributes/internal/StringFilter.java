package io.vigil.processor.attributes.internal;

import io.vigil.core.config.ConfigException;
import io.vigil.processor.attraction.Re2Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The Collector's filterset: strict (exact) or regexp (unanchored) matching of a string. */
final class StringFilter {
  private final Set<String> exact;
  private final List<Re2Pattern> patterns;

  private StringFilter(Set<String> exact, List<Re2Pattern> patterns) {
    this.exact = exact;
    this.patterns = patterns;
  }

  static StringFilter of(List<String> items, MatchType type, String keyPath) {
    if (type == MatchType.STRICT) {
      return new StringFilter(Set.copyOf(items), List.of());
    }
    List<Re2Pattern> p = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      p.add(Re2Pattern.compile(items.get(i), keyPath + "::" + i));
    }
    return new StringFilter(Set.of(), List.copyOf(p));
  }

  static void requireNoNulls(List<String> items, String keyPath) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == null) {
        throw new ConfigException(keyPath + "::" + i, "an entry is required here (empty list entry)");
      }
    }
  }

  boolean matches(String s) {
    if (exact.contains(s)) {
      return true;
    }
    for (Re2Pattern p : patterns) {
      if (p.find(s)) {
        return true;
      }
    }
    return false;
  }
}
