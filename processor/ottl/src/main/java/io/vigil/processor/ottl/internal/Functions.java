package io.vigil.processor.ottl.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.vigil.core.config.ConfigException;
import io.vigil.processor.attraction.Re2Pattern;
import io.vigil.processor.ottl.OttlEvaluationException;
import io.vigil.processor.ottl.OttlSyntaxException;
import io.vigil.processor.ottl.RecordContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.antlr.v4.runtime.Token;

/**
 * The editors (lower case, change the record) and converters (capitalised, return a value) of
 * the Collector's {@code ottlfuncs}, with its parameter names, so named arguments work.
 * Arguments that configure a function (patterns, limits, modes) must be literals and are checked
 * when the statement is parsed, as the Collector checks them.
 */
final class Functions {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An editor bound to its arguments. */
  public interface Editor {
    void apply(RecordContext c);
  }

  /**
   * A function: its parameters, how many are required, and the only context it may be used in
   * (null: any).
   */
  record Spec<F>(String name, List<String> params, int required, Function<Args, F> factory,
      io.vigil.processor.ottl.OttlContext only) {}

  static final Map<String, Spec<Editor>> EDITORS = new LinkedHashMap<>();
  static final Map<String, Spec<Expr>> CONVERTERS = new LinkedHashMap<>();

  private Functions() {}

  private static void editor(String name, int required, Function<Args, Editor> f, String... params) {
    EDITORS.put(name, new Spec<>(name, List.of(params), required, f, null));
  }

  private static void converter(String name, int required, Function<Args, Expr> f, String... params) {
    CONVERTERS.put(name, new Spec<>(name, List.of(params), required, f, null));
  }

  static {
    // The transform processor's metric editors: they change a metric's type, so they run in the
    // metric context only (in the data point context they would change what is being walked).
    EDITORS.put("convert_sum_to_gauge", new Spec<Editor>("convert_sum_to_gauge", List.of(), 0, a -> c -> {
      if (c.metric().hasSum()) {
        io.opentelemetry.proto.metrics.v1.Metric.Builder m =
            c.writable(c.metric(), io.opentelemetry.proto.metrics.v1.Metric.Builder.class);
        var points = m.getSum().getDataPointsList();
        m.setGauge(io.opentelemetry.proto.metrics.v1.Gauge.newBuilder().addAllDataPoints(points));
      }
    }, io.vigil.processor.ottl.OttlContext.METRIC));
    EDITORS.put("convert_gauge_to_sum", new Spec<Editor>("convert_gauge_to_sum",
        List.of("aggregation_temporality", "is_monotonic"), 2, a -> {
          String temporality = a.stringLiteral(0);
          var t = switch (temporality) {
            case "cumulative" -> io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
            case "delta" -> io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
            default -> throw a.error(0, "must be \"cumulative\" or \"delta\", not \"" + temporality + "\"");
          };
          if (!(a.literal(1) instanceof Boolean monotonic)) {
            throw a.error(1, "expected true or false");
          }
          return c -> {
            if (c.metric().hasGauge()) {
              io.opentelemetry.proto.metrics.v1.Metric.Builder m =
                  c.writable(c.metric(), io.opentelemetry.proto.metrics.v1.Metric.Builder.class);
              var points = m.getGauge().getDataPointsList();
              m.setSum(io.opentelemetry.proto.metrics.v1.Sum.newBuilder().setAggregationTemporality(t)
                  .setIsMonotonic(monotonic).addAllDataPoints(points));
            }
          };
        }, io.vigil.processor.ottl.OttlContext.METRIC));
    editor("set", 2, a -> {
      Target t = a.target(0);
      Expr v = a.expr(1);
      return c -> {
        Object value = v.eval(c);
        // As in the Collector, setting nil leaves the field as it is.
        if (value != null) {
          t.set(c, value);
        }
      };
    }, "target", "value");
    editor("delete_key", 2, a -> {
      Target t = a.target(0);
      Expr key = a.expr(1);
      return c -> withMap(c, t, m -> m.remove(a.string(key.eval(c), 1)) != null);
    }, "target", "key");
    editor("delete_matching_keys", 2, a -> {
      Target t = a.target(0);
      Re2Pattern re = a.regex(1);
      return c -> withMap(c, t, m -> m.keySet().removeIf(re::find));
    }, "target", "pattern");
    editor("keep_keys", 2, a -> {
      Target t = a.target(0);
      Set<String> keys = new LinkedHashSet<>(a.stringList(1));
      return c -> withMap(c, t, m -> m.keySet().retainAll(keys));
    }, "target", "keys");
    editor("keep_matching_keys", 2, a -> {
      Target t = a.target(0);
      Re2Pattern re = a.regex(1);
      return c -> withMap(c, t, m -> m.keySet().removeIf(k -> !re.find(k)));
    }, "target", "pattern");
    editor("replace_pattern", 3, a -> {
      Target t = a.target(0);
      Re2Pattern re = a.regex(1);
      Expr replacement = a.expr(2);
      return c -> {
        if (t.eval(c) instanceof String s) {
          String out = re.replaceAll(s, Values.asString(replacement.eval(c)));
          if (!out.equals(s)) {
            t.set(c, out);
          }
        }
      };
    }, "target", "regex", "replacement");
    editor("replace_all_patterns", 4, a -> {
      Target t = a.target(0);
      String mode = a.stringLiteral(1);
      if (!mode.equals("key") && !mode.equals("value")) {
        throw a.error(1, "mode must be \"key\" or \"value\", not \"" + mode + "\"");
      }
      Re2Pattern re = a.regex(2);
      Expr replacement = a.expr(3);
      return c -> withMap(c, t, m -> {
        String rep = Values.asString(replacement.eval(c));
        boolean changed = false;
        if (mode.equals("value")) {
          for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getValue() instanceof String s) {
              String out = re.replaceAll(s, rep);
              if (!out.equals(s)) {
                e.setValue(out);
                changed = true;
              }
            }
          }
          return changed;
        }
        Map<String, Object> renamed = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
          String k = re.replaceAll(e.getKey(), rep);
          changed |= !k.equals(e.getKey());
          renamed.put(k, e.getValue());
        }
        if (changed) {
          m.clear();
          m.putAll(renamed);
        }
        return changed;
      });
    }, "target", "mode", "regex", "replacement");
    editor("replace_match", 3, a -> {
      Target t = a.target(0);
      Pattern glob = a.glob(1);
      Expr replacement = a.expr(2);
      return c -> {
        if (t.eval(c) instanceof String s && glob.matcher(s).matches()) {
          t.set(c, Values.asString(replacement.eval(c)));
        }
      };
    }, "target", "pattern", "replacement");
    editor("replace_all_matches", 3, a -> {
      Target t = a.target(0);
      Pattern glob = a.glob(1);
      Expr replacement = a.expr(2);
      return c -> withMap(c, t, m -> {
        boolean changed = false;
        for (Map.Entry<String, Object> e : m.entrySet()) {
          if (e.getValue() instanceof String s && glob.matcher(s).matches()) {
            e.setValue(Values.asString(replacement.eval(c)));
            changed = true;
          }
        }
        return changed;
      });
    }, "target", "pattern", "replacement");
    editor("truncate_all", 2, a -> {
      Target t = a.target(0);
      long limit = a.intLiteral(1);
      if (limit < 0) {
        throw a.error(1, "limit must be at least 0, not " + limit);
      }
      return c -> {
        // Most records have nothing to cut: find that out without converting the map.
        if (t instanceof Paths.AttributesTarget attrs && attrs.raw(c).stream().noneMatch(kv ->
            kv.getValue().hasStringValue() && kv.getValue().getStringValueBytes().size() > limit)) {
          return;
        }
        truncate(c, t, limit);
      };
    }, "target", "limit");
    editor("limit", 2, a -> {
      Target t = a.target(0);
      long limit = a.intLiteral(1);
      if (limit < 0) {
        throw a.error(1, "limit must be at least 0, not " + limit);
      }
      List<String> priority = a.present(2) ? a.stringList(2) : List.of();
      if (priority.size() > limit) {
        throw a.error(2, "more priority keys (" + priority.size() + ") than the limit " + limit);
      }
      return c -> withMap(c, t, m -> {
        if (m.size() <= limit) {
          return false;
        }
        // Priority keys are kept first; the rest fill what is left in their order.
        Set<String> keep = new LinkedHashSet<>();
        for (String k : priority) {
          if (m.containsKey(k)) {
            keep.add(k);
          }
        }
        for (Iterator<String> it = m.keySet().iterator(); it.hasNext() && keep.size() < limit; ) {
          keep.add(it.next());
        }
        m.keySet().retainAll(keep);
        return true;
      });
    }, "target", "limit", "priority_keys");
    editor("merge_maps", 3, a -> {
      Target t = a.target(0);
      Expr source = a.expr(1);
      String strategy = a.stringLiteral(2);
      if (!Set.of("insert", "update", "upsert").contains(strategy)) {
        throw a.error(2, "strategy must be insert, update or upsert, not \"" + strategy + "\"");
      }
      return c -> {
        if (!(source.eval(c) instanceof Map<?, ?> src)) {
          return;
        }
        withMap(c, t, m -> {
          boolean changed = false;
          for (Map.Entry<?, ?> e : src.entrySet()) {
            String k = String.valueOf(e.getKey());
            boolean has = m.containsKey(k);
            if (strategy.equals("upsert") || (strategy.equals("insert") && !has)
                || (strategy.equals("update") && has)) {
              m.put(k, e.getValue());
              changed = true;
            }
          }
          return changed;
        });
      };
    }, "target", "source", "strategy");

    converter("Concat", 2, a -> {
      List<Expr> vals = a.list(0);
      Expr delimiter = a.expr(1);
      return c -> {
        String d = a.string(delimiter.eval(c), 1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < vals.size(); i++) {
          if (i > 0) {
            out.append(d);
          }
          Object v = vals.get(i).eval(c);
          // The Collector writes a missing value as <nil>, which makes the gap visible.
          out.append(v == null ? "<nil>" : Values.asString(v));
        }
        return out.toString();
      };
    }, "vals", "delimiter");
    converter("IsMatch", 2, a -> {
      Expr t = a.expr(0);
      Re2Pattern re = a.regex(1);
      return c -> {
        Object v = t.eval(c);
        return v != null && re.find(Values.asString(v));
      };
    }, "target", "pattern");
    converter("SHA256", 1, a -> digest(a, "SHA-256"), "value");
    converter("SHA1", 1, a -> digest(a, "SHA-1"), "value");
    converter("MD5", 1, a -> digest(a, "MD5"), "value");
    converter("ParseJSON", 1, a -> {
      Expr t = a.expr(0);
      return c -> {
        String s = a.string(t.eval(c), 0);
        try {
          JsonNode n = JSON.readTree(s);
          if (n == null || !(n.isObject() || n.isArray())) {
            throw new OttlEvaluationException("ParseJSON: not a JSON object or array");
          }
          return fromJson(n);
        } catch (JsonProcessingException e) {
          throw new OttlEvaluationException("ParseJSON: " + e.getOriginalMessage());
        }
      };
    }, "target");
    converter("Int", 1, a -> {
      Expr t = a.expr(0);
      return c -> toInt(t.eval(c));
    }, "value");
    converter("Double", 1, a -> {
      Expr t = a.expr(0);
      return c -> toDouble(t.eval(c));
    }, "value");
    converter("String", 1, a -> {
      Expr t = a.expr(0);
      return c -> {
        Object v = t.eval(c);
        return v == null ? null : Values.asString(v);
      };
    }, "value");
    typeCheck("IsString", String.class);
    typeCheck("IsMap", Map.class);
    typeCheck("IsList", List.class);
    typeCheck("IsBool", Boolean.class);
    typeCheck("IsInt", Long.class);
    typeCheck("IsDouble", Double.class);
    converter("Len", 1, a -> {
      Expr t = a.expr(0);
      return c -> {
        Object v = t.eval(c);
        if (v instanceof String s) {
          // Go's len: bytes of the UTF-8 encoding.
          return (long) s.getBytes(StandardCharsets.UTF_8).length;
        }
        if (v instanceof List<?> l) {
          return (long) l.size();
        }
        if (v instanceof Map<?, ?> m) {
          return (long) m.size();
        }
        if (v instanceof ByteString b) {
          return (long) b.size();
        }
        throw new OttlEvaluationException("Len: cannot take the length of " + Values.typeName(v));
      };
    }, "target");
    converter("Split", 2, a -> {
      Expr t = a.expr(0);
      String delimiter = a.stringLiteral(1);
      return c -> {
        Object v = t.eval(c);
        if (v == null) {
          return null;
        }
        String s = a.string(v, 0);
        List<Object> out = new ArrayList<>();
        if (delimiter.isEmpty()) {
          s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
          return out;
        }
        int from = 0;
        for (int i = s.indexOf(delimiter); i >= 0; i = s.indexOf(delimiter, from)) {
          out.add(s.substring(from, i));
          from = i + delimiter.length();
        }
        out.add(s.substring(from));
        return out;
      };
    }, "target", "delimiter");
    converter("ConvertCase", 2, a -> {
      Expr t = a.expr(0);
      String to = a.stringLiteral(1);
      Function<String, String> f = switch (to) {
        case "lower" -> s -> s.toLowerCase(Locale.ROOT);
        case "upper" -> s -> s.toUpperCase(Locale.ROOT);
        case "snake" -> Functions::snake;
        case "camel" -> Functions::camel;
        default -> throw a.error(1, "toCase must be lower, upper, snake or camel, not \"" + to + "\"");
      };
      return c -> {
        Object v = t.eval(c);
        return v == null ? null : f.apply(a.string(v, 0));
      };
    }, "target", "toCase");
    converter("ToLowerCase", 1, a -> {
      Expr t = a.expr(0);
      return c -> a.string(t.eval(c), 0).toLowerCase(Locale.ROOT);
    }, "target");
    converter("ToUpperCase", 1, a -> {
      Expr t = a.expr(0);
      return c -> a.string(t.eval(c), 0).toUpperCase(Locale.ROOT);
    }, "target");
    converter("Substring", 3, a -> {
      Expr t = a.expr(0);
      Expr start = a.expr(1);
      Expr length = a.expr(2);
      return c -> {
        String s = a.string(t.eval(c), 0);
        long from = a.integer(start.eval(c), 1);
        long n = a.integer(length.eval(c), 2);
        if (from < 0 || n < 0 || from + n > s.length()) {
          throw new OttlEvaluationException("Substring: start " + from + " and length " + n
              + " do not fit a string of length " + s.length());
        }
        return s.substring((int) from, (int) (from + n));
      };
    }, "target", "start", "length");
    // The filter processor's own metric functions; they read the metric of any context that has one.
    converter("HasAttrKeyOnDatapoint", 1, a -> {
      String key = a.stringLiteral(0);
      return c -> anyPoint(c, attrs -> attrs.stream().anyMatch(kv -> kv.getKey().equals(key)));
    }, "key");
    converter("HasAttrOnDatapoint", 2, a -> {
      String key = a.stringLiteral(0);
      String value = a.stringLiteral(1);
      return c -> anyPoint(c, attrs -> attrs.stream().anyMatch(kv -> kv.getKey().equals(key)
          && kv.getValue().hasStringValue() && kv.getValue().getStringValue().equals(value)));
    }, "key", "value");
    converter("TraceID", 1, a -> id(a, 16), "bytes");
    converter("SpanID", 1, a -> id(a, 8), "bytes");
  }

  private static boolean anyPoint(RecordContext c,
      java.util.function.Predicate<List<io.opentelemetry.proto.common.v1.KeyValue>> test) {
    var m = c.metric();
    List<? extends com.google.protobuf.MessageOrBuilder> points = switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsList();
      case SUM -> m.getSum().getDataPointsList();
      case HISTOGRAM -> m.getHistogram().getDataPointsList();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsList();
      case SUMMARY -> m.getSummary().getDataPointsList();
      default -> List.of();
    };
    for (var p : points) {
      if (test.test(Paths.DataPoints.attributes(p))) {
        return true;
      }
    }
    return false;
  }

  private static void truncate(RecordContext c, Target t, long limit) {
    withMap(c, t, m -> {
      boolean changed = false;
      for (Map.Entry<String, Object> e : m.entrySet()) {
        if (e.getValue() instanceof String s) {
          String cut = utf8Prefix(s, limit);
          if (cut.length() < s.length()) {
            e.setValue(cut);
            changed = true;
          }
        }
      }
      return changed;
    });
  }

  /**
   * The longest prefix of {@code s} of at most {@code limit} UTF-8 bytes that ends on a whole
   * character: the Collector counts bytes (Go strings), and a cut inside a character would leave
   * invalid UTF-8.
   */
  static String utf8Prefix(String s, long limit) {
    long bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > limit) {
        break;
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    return s.substring(0, i);
  }

  private static void typeCheck(String name, Class<?> type) {
    converter(name, 1, a -> {
      Expr t = a.expr(0);
      return c -> type.isInstance(t.eval(c));
    }, "value");
  }

  private static Expr digest(Args a, String algorithm) {
    Expr t = a.expr(0);
    // A digest per thread: getInstance looks the provider up on every call.
    ThreadLocal<MessageDigest> digests = ThreadLocal.withInitial(() -> {
      try {
        return MessageDigest.getInstance(algorithm);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(algorithm + " is part of every JDK", e);
      }
    });
    return c -> {
      Object v = t.eval(c);
      if (!(v instanceof String s)) {
        throw new OttlEvaluationException(a.name() + ": expected a string, got " + Values.typeName(v));
      }
      return HexFormat.of().formatHex(digests.get().digest(s.getBytes(StandardCharsets.UTF_8)));
    };
  }

  private static Expr id(Args a, int length) {
    Object v = a.literal(0);
    if (!(v instanceof ByteString b) || b.size() != length) {
      throw a.error(0, "expected " + length + " bytes written 0x..., got " + describe(v));
    }
    return c -> b;
  }

  private static String describe(Object v) {
    return v instanceof ByteString b ? b.size() + " bytes" : Values.typeName(v);
  }

  /** Runs {@code change} on a copy of the map at {@code t} and writes it back if it changed. */
  private static void withMap(RecordContext c, Target t, Function<Map<String, Object>, Boolean> change) {
    Object v = t.eval(c);
    if (!(v instanceof Map<?, ?>)) {
      if (v == null) {
        return;
      }
      throw new OttlEvaluationException("expected a map, got " + Values.typeName(v));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    if (change.apply(m)) {
      t.set(c, m);
    }
  }

  static Object toInt(Object v) {
    if (v instanceof Long) {
      return v;
    }
    if (v instanceof Double d) {
      return (long) d.doubleValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  static Object toDouble(Object v) {
    if (v instanceof Double) {
      return v;
    }
    if (v instanceof Long l) {
      return l.doubleValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static Object fromJson(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      n.fields().forEachRemaining(e -> m.put(e.getKey(), fromJson(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(x -> l.add(fromJson(x)));
      return l;
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    // Go's encoding/json makes every number a float64, and so does the Collector's ParseJSON.
    if (n.isNumber()) {
      return n.doubleValue();
    }
    return null;
  }

  static String snake(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0 && out.length() > 0 && out.charAt(out.length() - 1) != '_'
            && (Character.isLowerCase(s.charAt(i - 1)) || Character.isDigit(s.charAt(i - 1))
                || (i + 1 < s.length() && Character.isLowerCase(s.charAt(i + 1))))) {
          out.append('_');
        }
        out.append(Character.toLowerCase(c));
      } else if (c == ' ' || c == '-' || c == '.') {
        out.append('_');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static String camel(String s) {
    StringBuilder out = new StringBuilder();
    boolean upper = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '_' || c == ' ' || c == '-' || c == '.') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  /** A function's arguments in parameter order, with checks that fail at the argument's column. */
  static final class Args {
    private final String name;
    private final Token call;
    private final Arg[] args;

    Args(String name, Token call, Arg[] args) {
      this.name = name;
      this.call = call;
      this.args = args;
    }

    String name() {
      return name;
    }

    boolean present(int i) {
      return i < args.length && args[i] != null;
    }

    Expr expr(int i) {
      return arg(i).expr();
    }

    Target target(int i) {
      Arg a = arg(i);
      if (a.target() == null) {
        throw error(i, "expected a path to change (such as attributes[\"key\"])");
      }
      return a.target();
    }

    Object literal(int i) {
      Arg a = arg(i);
      if (!a.isLiteral()) {
        throw error(i, "expected a literal value here");
      }
      return a.literal();
    }

    String stringLiteral(int i) {
      Object v = literal(i);
      if (!(v instanceof String s)) {
        throw error(i, "expected a string, got " + Values.typeName(v));
      }
      return s;
    }

    long intLiteral(int i) {
      Object v = literal(i);
      if (!(v instanceof Long l)) {
        throw error(i, "expected an int, got " + Values.typeName(v));
      }
      return l;
    }

    List<Expr> list(int i) {
      Arg a = arg(i);
      if (a.items() == null) {
        throw error(i, "expected a list [...]");
      }
      return a.items().stream().map(Arg::expr).toList();
    }

    List<String> stringList(int i) {
      Arg a = arg(i);
      if (a.items() == null) {
        throw error(i, "expected a list of strings [\"...\"]");
      }
      List<String> out = new ArrayList<>();
      for (Arg item : a.items()) {
        if (!(item.isLiteral() && item.literal() instanceof String s)) {
          throw new OttlSyntaxException(item.at().getLine(), item.at().getCharPositionInLine() + 1,
              name + ": expected a string in " + param(i));
        }
        out.add(s);
      }
      return out;
    }

    Re2Pattern regex(int i) {
      String re = stringLiteral(i);
      try {
        return Re2Pattern.compile(re, param(i));
      } catch (ConfigException e) {
        throw error(i, e.problem());
      }
    }

    Pattern glob(int i) {
      String g = stringLiteral(i);
      try {
        return Glob.compile(g);
      } catch (PatternSyntaxException e) {
        throw error(i, "invalid glob pattern \"" + g + "\"");
      }
    }

    /** {@code v}, which argument {@code i} evaluated to, as a string (a runtime check). */
    String string(Object v, int i) {
      if (v instanceof String s) {
        return s;
      }
      throw new OttlEvaluationException(name + ": " + param(i) + " must be a string, got " + Values.typeName(v));
    }

    long integer(Object v, int i) {
      if (v instanceof Long l) {
        return l;
      }
      throw new OttlEvaluationException(name + ": " + param(i) + " must be an int, got " + Values.typeName(v));
    }

    OttlSyntaxException error(int i, String problem) {
      Token at = present(i) ? args[i].at() : call;
      return new OttlSyntaxException(at.getLine(), at.getCharPositionInLine() + 1,
          name + ": " + param(i) + ": " + problem);
    }

    private String param(int i) {
      Spec<?> s = EDITORS.containsKey(name) ? EDITORS.get(name) : CONVERTERS.get(name);
      return s != null && i < s.params().size() ? s.params().get(i) : "argument " + (i + 1);
    }

    private Arg arg(int i) {
      if (!present(i)) {
        throw error(i, "missing");
      }
      return args[i];
    }
  }

  static Set<String> editorNames() {
    return new TreeSet<>(EDITORS.keySet());
  }

  static Set<String> converterNames() {
    return new TreeSet<>(CONVERTERS.keySet());
  }
}
