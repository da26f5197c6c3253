package io.vigil.processor.redaction;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vigil.processor.redaction.RedactionConfig.HashFunction;
import io.vigil.processor.redaction.RedactionConfig.Summary;
import io.vigil.processor.redaction.internal.ValueMasker;
import io.vigil.processor.redaction.internal.ValuePreset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The Collector's redaction rules over one attribute list, in its order: ignored keys pass
 * untouched; keys not allowed are removed; a key matching a blocked key pattern has its whole
 * value masked; a value matching an allowed value is kept; otherwise each blocked value (and
 * preset) match inside it is masked.
 */
final class Redactor {

  static final String MASK = "****";

  private final boolean allowAll;
  private final Set<String> allowed;
  private final Set<String> ignored;
  private final List<Pattern> blockedKeys;
  private final List<Pattern> allowedValues;
  private final List<ValueMasker> maskers = new ArrayList<>();
  private final boolean allTypes;
  private final Summary summary;
  private final UnaryOperator<String> replacement;
  private final boolean hashing;

  Redactor(RedactionConfig c) {
    allowAll = c.allowAllKeys;
    allowed = new HashSet<>(c.allowedKeys);
    ignored = new HashSet<>(c.ignoredKeys);
    blockedKeys = RedactionConfig.compile(c.blockedKeyPatterns, "blocked_key_patterns");
    allowedValues = RedactionConfig.compile(c.allowedValues, "allowed_values");
    for (Pattern p : RedactionConfig.compile(c.blockedValues, "blocked_values")) {
      maskers.add((value, r) -> maskMatches(p, value, r));
    }
    for (int i = 0; i < c.blockedValuePresets.size(); i++) {
      maskers.add(ValuePreset.parse(c.blockedValuePresets.get(i), "blocked_value_presets::" + i)
          .masker());
    }
    allTypes = c.redactAllTypes;
    summary = Summary.parse(c.summary);
    HashFunction hash = HashFunction.parse(c.hashFunction);
    hashing = hash != HashFunction.NONE;
    replacement = hashing ? s -> hex(hash, s) : s -> MASK;
  }

  /** Every match of {@code p} in {@code value} replaced by {@code r} of it; same instance if none. */
  private static String maskMatches(Pattern p, String value, UnaryOperator<String> r) {
    Matcher m = p.matcher(value);
    if (!m.find()) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    int last = 0;
    // RE2/J's find() moves past an empty match by itself, so this ends.
    do {
      out.append(value, last, m.start()).append(r.apply(m.group()));
      last = m.end();
    } while (m.find());
    return out.append(value, last, value.length()).toString();
  }

  /** What one item's redaction did; turned into summary attributes and metrics. */
  static final class Tally {
    final Set<String> removed = new TreeSet<>();
    final Set<String> masked = new TreeSet<>();
    int ignored;

    boolean isEmpty() {
      return removed.isEmpty() && masked.isEmpty() && ignored == 0;
    }
  }

  /** The redacted list (the same instance when nothing changed), summary included. */
  List<KeyValue> attributes(List<KeyValue> in, Tally t) {
    List<KeyValue> out = null;
    for (int i = 0; i < in.size(); i++) {
      KeyValue kv = in.get(i);
      KeyValue next = attribute(kv, t);
      if (next != kv && out == null) {
        out = new ArrayList<>(in.subList(0, i));
      }
      if (out != null && next != null) {
        out.add(next);
      }
    }
    return summarize(out == null ? in : out, t);
  }

  private KeyValue attribute(KeyValue kv, Tally t) {
    String key = kv.getKey();
    if (ignored.contains(key)) {
      t.ignored++;
      return kv;
    }
    if (!allowAll && !allowed.contains(key)) {
      t.removed.add(key);
      return null;
    }
    String text = text(kv.getValue());
    if (text == null) {
      return kv;
    }
    for (Pattern p : blockedKeys) {
      if (p.matcher(key).matches()) {
        t.masked.add(key);
        return kv.toBuilder().setValue(AnyValue.newBuilder().setStringValue(
            replacement.apply(text))).build();
      }
    }
    String masked = maskValue(text);
    if (masked == text) {
      return kv;
    }
    t.masked.add(key);
    return kv.toBuilder().setValue(AnyValue.newBuilder().setStringValue(masked)).build();
  }

  /** A string log body with blocked values masked; the same instance when nothing matched. */
  String body(String body, Tally t) {
    String masked = maskValue(body);
    if (masked != body) {
      t.masked.add("body");
    }
    return masked;
  }

  private String maskValue(String text) {
    for (Pattern p : allowedValues) {
      if (p.matcher(text).matches()) {
        return text;
      }
    }
    String v = text;
    // One masker's mask can end another's match (an e-mail glued to a card number's last
    // digit), uncovering a secret the earlier masker skipped: repeat until nothing changes.
    // Asterisks never match again, so this ends at once; hashes (hex) might, so one pass.
    for (int pass = 0; pass < (hashing ? 1 : 4); pass++) {
      String before = v;
      for (ValueMasker m : maskers) {
        v = m.mask(v, replacement);
      }
      if (v.equals(before)) {
        break;
      }
    }
    return v.equals(text) ? text : v;
  }

  private String text(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case INT_VALUE:
        return allTypes ? Long.toString(v.getIntValue()) : null;
      case DOUBLE_VALUE:
        return allTypes ? Double.toString(v.getDoubleValue()) : null;
      case BOOL_VALUE:
        return allTypes ? Boolean.toString(v.getBoolValue()) : null;
      default:
        return null;
    }
  }

  private List<KeyValue> summarize(List<KeyValue> attrs, Tally t) {
    if (summary == Summary.SILENT || t.isEmpty()) {
      return attrs;
    }
    List<KeyValue> out = new ArrayList<>(attrs);
    if (!t.removed.isEmpty()) {
      if (summary == Summary.DEBUG) {
        out.add(str("redaction.redacted.keys", String.join(",", t.removed)));
      }
      out.add(num("redaction.redacted.count", t.removed.size()));
    }
    if (!t.masked.isEmpty()) {
      if (summary == Summary.DEBUG) {
        out.add(str("redaction.masked.keys", String.join(",", t.masked)));
      }
      out.add(num("redaction.masked.count", t.masked.size()));
    }
    if (t.ignored > 0) {
      out.add(num("redaction.ignored.count", t.ignored));
    }
    return out;
  }

  private static KeyValue str(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static KeyValue num(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  private static String hex(HashFunction f, String s) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance(f.jca).digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
