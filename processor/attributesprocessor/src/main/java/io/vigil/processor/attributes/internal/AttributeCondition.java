package io.vigil.processor.attributes.internal;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vigil.core.config.ConfigException;
import io.vigil.processor.attraction.AnyValues;
import io.vigil.processor.attraction.Re2Pattern;
import java.util.List;

/**
 * One {@code attributes}/{@code resources} entry: the key must be present and, when a value is
 * given, equal it (strict) or match it as a pattern (regexp, over the value's text; lists and
 * maps never match a pattern).
 */
final class AttributeCondition {
  private final String key;
  private final AnyValue equal;
  private final Re2Pattern pattern;

  private AttributeCondition(String key, AnyValue equal, Re2Pattern pattern) {
    this.key = key;
    this.equal = equal;
    this.pattern = pattern;
  }

  static AttributeCondition of(String key, Object value, MatchType type, String keyPath) {
    if (key == null || key.isEmpty()) {
      throw new ConfigException(keyPath + "::key", "required");
    }
    if (value == null) {
      return new AttributeCondition(key, null, null);
    }
    if (type == MatchType.REGEXP) {
      if (!(value instanceof String s)) {
        throw new ConfigException(keyPath + "::value", "match_type regexp needs a string pattern,"
            + " got " + value.getClass().getSimpleName());
      }
      return new AttributeCondition(key, null, Re2Pattern.compile(s, keyPath + "::value"));
    }
    return new AttributeCondition(key, AnyValues.fromRaw(value, keyPath + "::value"), null);
  }

  boolean matches(List<KeyValue> attributes) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        if (equal != null) {
          return kv.getValue().equals(equal);
        }
        if (pattern != null) {
          return switch (kv.getValue().getValueCase()) {
            case STRING_VALUE, BOOL_VALUE, INT_VALUE, DOUBLE_VALUE ->
                pattern.find(AnyValues.asString(kv.getValue()));
            default -> false;
          };
        }
        return true;
      }
    }
    return false;
  }
}
