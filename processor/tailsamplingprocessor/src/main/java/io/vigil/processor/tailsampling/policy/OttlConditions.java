package io.vigil.processor.tailsampling.policy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ottl_condition}, for the conditions the Collector's examples use: a comparison
 * {@code PATH == LITERAL} or {@code PATH != LITERAL}, where PATH is {@code name} or
 * {@code attributes["key"]} (of the span, or of the span event for {@code spanevent}) and
 * LITERAL a quoted string, a number, {@code true}, {@code false} or {@code nil}. A trace is
 * sampled when any span meets any {@code span} condition or any span event meets any
 * {@code spanevent} condition. Other OTTL is refused at load with the condition named, rather
 * than half-understood.
 */
final class OttlConditions implements PolicyEvaluator {

  private static final Pattern COMPARISON = Pattern.compile(
      "^\\s*(name|attributes\\[\"((?:[^\"\\\\]|\\\\.)*)\"\\])\\s*(==|!=)\\s*"
          + "(\"((?:[^\"\\\\]|\\\\.)*)\"|-?[0-9]+(?:\\.[0-9]+)?|true|false|nil)\\s*$");

  /** One parsed comparison. */
  record Condition(String attribute, boolean equal, AnyValue literal) {
    boolean test(String name, List<KeyValue> attributes) {
      AnyValue actual = null;
      if (attribute == null) {
        actual = AnyValue.newBuilder().setStringValue(name).build();
      } else {
        for (KeyValue kv : attributes) {
          if (kv.getKey().equals(attribute)) {
            actual = kv.getValue();
          }
        }
      }
      boolean same = literal == null ? actual == null : actual != null && sameValue(actual, literal);
      return equal == same;
    }

    private static boolean sameValue(AnyValue a, AnyValue literal) {
      if (literal.hasDoubleValue()) {
        double x = a.hasIntValue() ? a.getIntValue() : a.hasDoubleValue() ? a.getDoubleValue()
            : Double.NaN;
        return x == literal.getDoubleValue();
      }
      return a.equals(literal);
    }
  }

  private final List<Condition> span;
  private final List<Condition> spanEvent;

  private OttlConditions(List<Condition> span, List<Condition> spanEvent) {
    this.span = span;
    this.spanEvent = spanEvent;
  }

  static OttlConditions parse(String keyPath, PolicyConfig.OttlCondition c) {
    if (!c.errorMode.equals("propagate") && !c.errorMode.equals("ignore")
        && !c.errorMode.equals("silent")) {
      throw new ConfigException(keyPath + "::error_mode", "unsupported value \"" + c.errorMode
          + "\"; use propagate, ignore or silent");
    }
    if (c.span.isEmpty() && c.spanevent.isEmpty()) {
      throw new ConfigException(keyPath, "needs at least one span or spanevent condition");
    }
    return new OttlConditions(parseAll(keyPath + "::span", c.span),
        parseAll(keyPath + "::spanevent", c.spanevent));
  }

  private static List<Condition> parseAll(String keyPath, List<String> conditions) {
    List<Condition> out = new ArrayList<>();
    for (int i = 0; i < conditions.size(); i++) {
      Matcher m = COMPARISON.matcher(conditions.get(i) == null ? "" : conditions.get(i));
      if (!m.matches()) {
        throw new ConfigException(keyPath + "::" + i, "unsupported OTTL condition \""
            + conditions.get(i) + "\"; Vigil supports name or attributes[\"key\"] compared with"
            + " == or != to a string, number, true, false or nil");
      }
      String attribute = m.group(2) == null ? null : unescape(m.group(2));
      out.add(new Condition(attribute, m.group(3).equals("=="), literal(m.group(4), m.group(5))));
    }
    return out;
  }

  private static AnyValue literal(String token, String quoted) {
    if (quoted != null) {
      return AnyValue.newBuilder().setStringValue(unescape(quoted)).build();
    }
    return switch (token) {
      case "nil" -> null;
      case "true" -> AnyValue.newBuilder().setBoolValue(true).build();
      case "false" -> AnyValue.newBuilder().setBoolValue(false).build();
      default -> AnyValue.newBuilder().setDoubleValue(Double.parseDouble(token)).build();
    };
  }

  private static String unescape(String s) {
    return s.replaceAll("\\\\(.)", "$1");
  }

  @Override
  public Decision evaluate(BufferedTrace trace) {
    boolean matched = trace.anySpan((rs, s) -> matches(s));
    return matched ? Decision.SAMPLED : Decision.NOT_SAMPLED;
  }

  private boolean matches(Span s) {
    for (Condition c : span) {
      if (c.test(s.getName(), s.getAttributesList())) {
        return true;
      }
    }
    for (Span.Event e : s.getEventsList()) {
      for (Condition c : spanEvent) {
        if (c.test(e.getName(), e.getAttributesList())) {
          return true;
        }
      }
    }
    return false;
  }
}
