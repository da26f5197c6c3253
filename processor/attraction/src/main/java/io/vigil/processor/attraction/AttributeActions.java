package io.vigil.processor.attraction;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vigil.core.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled {@code actions} list. {@link #compile} validates every entry the way the Collector
 * does, naming the entry and key ({@code actions::2::converted_type}); {@link #apply} runs the
 * actions in order on one item's attributes.
 */
public final class AttributeActions {
  private final List<Action> actions;

  private AttributeActions(List<Action> actions) {
    this.actions = actions;
  }

  /**
   * Compiles {@code configs}; {@code keyPath} is where the list sits in the component's config
   * (e.g. {@code actions} or {@code attributes}) and prefixes every error.
   */
  public static AttributeActions compile(List<ActionConfig> configs, String keyPath) {
    List<Action> out = new ArrayList<>();
    if (configs != null) {
      for (int i = 0; i < configs.size(); i++) {
        out.add(Action.compile(configs.get(i), keyPath + "::" + i));
      }
    }
    return new AttributeActions(List.copyOf(out));
  }

  /** The from_context keys used, which never have a value in Vigil (see {@link #apply}). */
  public List<String> contextKeys() {
    return actions.stream().map(Action::fromContext).filter(java.util.Objects::nonNull).toList();
  }

  public boolean isEmpty() {
    return actions.isEmpty();
  }

  public int size() {
    return actions.size();
  }

  /**
   * Runs the actions on {@code attributes}. Returns the same list instance when no action
   * changed anything, a new list otherwise; {@code attributes} itself is never modified.
   */
  public List<KeyValue> apply(List<KeyValue> attributes) {
    AttributeList list = new AttributeList(attributes);
    for (Action a : actions) {
      a.apply(list);
    }
    return list.result();
  }

  /** One compiled action. */
  private record Action(ActionKind kind, String key, AnyValue value, String fromAttribute,
      String fromContext, AnyValue defaultValue, Re2Pattern pattern, ValueConversion conversion) {

    static Action compile(ActionConfig c, String path) {
      if (c == null) {
        throw new ConfigException(path, "an action is required here (empty list entry)");
      }
      if (c.action == null || c.action.isBlank()) {
        throw new ConfigException(path + "::action", "required: one of " + ActionKind.names());
      }
      ActionKind kind = ActionKind.parse(c.action).orElseThrow(() -> new ConfigException(
          path + "::action", "unknown action \"" + c.action + "\": one of " + ActionKind.names()));
      String name = c.action.trim().toLowerCase(java.util.Locale.ROOT);
      boolean hasKey = c.key != null && !c.key.isEmpty();
      boolean hasPattern = c.pattern != null && !c.pattern.isEmpty();
      if (kind == ActionKind.DELETE || kind == ActionKind.HASH) {
        if (!hasKey && !hasPattern) {
          throw new ConfigException(path + "::key", "set key and/or pattern for action " + name);
        }
      } else if (!hasKey) {
        throw new ConfigException(path + "::key", "required for action " + name);
      }
      if (kind != ActionKind.CONVERT && c.convertedType != null) {
        throw new ConfigException(path + "::converted_type", "not used by action " + name
            + " (only by convert)");
      }
      boolean anySource = c.value != null || c.fromAttribute != null || c.fromContext != null
          || c.defaultValue != null;
      if (!kind.setsValue() && anySource) {
        String field = c.value != null ? "value" : c.fromAttribute != null ? "from_attribute"
            : c.fromContext != null ? "from_context" : "default_value";
        throw new ConfigException(path + "::" + field, "not used by action " + name
            + " (only by insert, update and upsert)");
      }
      return switch (kind) {
        case INSERT, UPDATE, UPSERT -> {
          if (hasPattern) {
            throw new ConfigException(path + "::pattern", "not used by action " + name);
          }
          int sources = (c.value != null ? 1 : 0) + (c.fromAttribute != null ? 1 : 0)
              + (c.fromContext != null ? 1 : 0);
          if (sources > 1) {
            throw new ConfigException(path, "set one of value, from_attribute and from_context,"
                + " not several");
          }
          if (!anySource) {
            throw new ConfigException(path + "::value", "action " + name
                + " needs one of value, from_attribute, from_context or default_value");
          }
          yield new Action(kind, c.key,
              c.value == null ? null : AnyValues.fromRaw(c.value, path + "::value"),
              c.fromAttribute, c.fromContext,
              c.defaultValue == null ? null : AnyValues.fromRaw(c.defaultValue, path + "::default_value"),
              null, null);
        }
        case DELETE, HASH -> new Action(kind, hasKey ? c.key : null, null, null, null, null,
            hasPattern ? Re2Pattern.compile(c.pattern, path + "::pattern") : null, null);
        case EXTRACT -> {
          if (!hasPattern) {
            throw new ConfigException(path + "::pattern", "required for action extract");
          }
          Re2Pattern p = Re2Pattern.compile(c.pattern, path + "::pattern");
          if (p.groupNames().isEmpty()) {
            throw new ConfigException(path + "::pattern", "has no named groups: extract sets one"
                + " attribute per (?P<name>...) group");
          }
          if (!p.allGroupsNamed()) {
            throw new ConfigException(path + "::pattern", "has an unnamed group: every group must"
                + " be named (use (?:...) for grouping)");
          }
          yield new Action(kind, c.key, null, null, null, null, p, null);
        }
        case CONVERT -> {
          if (hasPattern) {
            throw new ConfigException(path + "::pattern", "not used by action convert");
          }
          if (c.convertedType == null || c.convertedType.isEmpty()) {
            throw new ConfigException(path + "::converted_type", "required for action convert:"
                + " int, double or string");
          }
          ValueConversion conv = ValueConversion.parse(c.convertedType);
          if (conv == null) {
            throw new ConfigException(path + "::converted_type", "unknown type \""
                + c.convertedType + "\": int, double or string");
          }
          yield new Action(kind, c.key, null, null, null, null, null, conv);
        }
      };
    }

    void apply(AttributeList attrs) {
      switch (kind) {
        case DELETE -> {
          if (key != null) {
            attrs.remove(key);
          }
          for (String k : matchingKeys(attrs)) {
            attrs.remove(k);
          }
        }
        case HASH -> {
          if (key != null) {
            hash(attrs, key);
          }
          for (String k : matchingKeys(attrs)) {
            hash(attrs, k);
          }
        }
        case INSERT -> {
          AnyValue v = source(attrs);
          if (v != null && !attrs.contains(key)) {
            attrs.put(key, v);
          }
        }
        case UPDATE -> {
          AnyValue v = source(attrs);
          if (v != null && attrs.contains(key)) {
            attrs.put(key, v);
          }
        }
        case UPSERT -> {
          AnyValue v = source(attrs);
          if (v != null) {
            attrs.put(key, v);
          }
        }
        case EXTRACT -> {
          AnyValue v = attrs.get(key);
          if (v == null || !v.hasStringValue()) {
            return;
          }
          List<String> groups = pattern.firstMatchGroups(v.getStringValue());
          if (groups != null) {
            for (int i = 0; i < groups.size(); i++) {
              attrs.put(pattern.groupNames().get(i), AnyValues.string(groups.get(i)));
            }
          }
        }
        case CONVERT -> {
          AnyValue v = attrs.get(key);
          if (v != null) {
            attrs.put(key, conversion.apply(v));
          }
        }
      }
    }

    private AnyValue source(AttributeList attrs) {
      if (value != null) {
        return value;
      }
      if (fromContext != null) {
        // Vigil's receivers do not pass client metadata on (the Collector's include_metadata
        // off): the context value is absent, and the Collector then falls back the same way.
        return defaultValue;
      }
      AnyValue v = fromAttribute == null ? null : attrs.get(fromAttribute);
      return v != null ? v : defaultValue;
    }

    private List<String> matchingKeys(AttributeList attrs) {
      if (pattern == null) {
        return List.of();
      }
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < attrs.size(); i++) {
        if (pattern.find(attrs.keyAt(i))) {
          keys.add(attrs.keyAt(i));
        }
      }
      return keys;
    }

    private static void hash(AttributeList attrs, String k) {
      AnyValue v = attrs.get(k);
      if (v != null) {
        attrs.put(k, ValueHash.of(v));
      }
    }
  }
}
