package io.vigil.processor.tailsampling.policy;

import com.google.re2j.Pattern;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The value test of {@code string_attribute}: one of {@code values} exactly, or with
 * {@code enabled_regex_matching} one of them as a regular expression found in the value (Go's
 * {@code MatchString}); {@code cache_max_size} remembers that many tested values' results.
 */
final class StringValues implements Predicate<AnyValue> {

  private final Set<String> exact;
  private final List<Pattern> patterns;
  private final Map<String, Boolean> cache;

  private StringValues(Set<String> exact, List<Pattern> patterns, int cacheSize) {
    this.exact = exact;
    this.patterns = patterns;
    this.cache = cacheSize <= 0 ? null : new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > cacheSize;
      }
    };
  }

  static StringValues exact(List<String> values) {
    return new StringValues(Set.copyOf(values), null, 0);
  }

  static StringValues regex(List<Pattern> patterns, int cacheSize) {
    return new StringValues(null, List.copyOf(patterns), cacheSize);
  }

  @Override
  public boolean test(AnyValue v) {
    if (!v.hasStringValue()) {
      return false;
    }
    String s = v.getStringValue();
    if (exact != null) {
      return exact.contains(s);
    }
    if (cache != null) {
      Boolean hit = cache.get(s);
      if (hit != null) {
        return hit;
      }
    }
    boolean found = false;
    for (Pattern p : patterns) {
      if (p.matcher(s).find()) {
        found = true;
        break;
      }
    }
    if (cache != null) {
      cache.put(s, found);
    }
    return found;
  }
}
