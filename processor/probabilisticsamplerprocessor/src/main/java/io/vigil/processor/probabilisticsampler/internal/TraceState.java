package io.vigil.processor.probabilisticsampler.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A W3C {@code tracestate} with OpenTelemetry's {@code ot} member parsed into its sampling
 * fields: {@code th} (threshold) and {@code rv} (explicit randomness); other members and other
 * ot fields are kept as they came. Serializing puts the ot member first, as W3C asks of a
 * member that was updated.
 */
public final class TraceState {
  private static final Pattern KEY = Pattern.compile(
      "[a-z][a-z0-9_\\-*/]{0,255}|[a-z0-9][a-z0-9_\\-*/]{0,240}@[a-z][a-z0-9_\\-*/]{0,13}");
  private static final Pattern VALUE = Pattern.compile("[\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e]");
  private static final Pattern OT_FIELD = Pattern.compile("[a-z][a-z0-9]*:[a-zA-Z0-9._\\-]*");
  private static final int MAX_MEMBERS = 32;

  private final List<String> others = new ArrayList<>();
  private final List<String> otExtra = new ArrayList<>();
  private Threshold threshold;
  private String tvalue;
  private long rvalue = -1;

  private TraceState() {}

  /** Parses {@code raw}; throws {@link IllegalArgumentException} naming what is malformed. */
  public static TraceState parse(String raw) {
    TraceState ts = new TraceState();
    if (raw.isBlank()) {
      return ts;
    }
    String[] members = raw.split(",", -1);
    if (members.length > MAX_MEMBERS) {
      throw new IllegalArgumentException("tracestate has more than " + MAX_MEMBERS + " members");
    }
    for (String m : members) {
      String member = m.strip();
      if (member.isEmpty()) {
        continue;
      }
      int eq = member.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("tracestate member without key=value: " + member);
      }
      String key = member.substring(0, eq);
      String value = member.substring(eq + 1);
      if (!KEY.matcher(key).matches() || !VALUE.matcher(value).matches()) {
        throw new IllegalArgumentException("malformed tracestate member: " + member);
      }
      if (key.equals("ot")) {
        ts.parseOt(value);
      } else {
        ts.others.add(member);
      }
    }
    return ts;
  }

  private void parseOt(String value) {
    for (String field : value.split(";", -1)) {
      if (!OT_FIELD.matcher(field).matches()) {
        throw new IllegalArgumentException("malformed ot field: " + field);
      }
      String k = field.substring(0, field.indexOf(':'));
      String v = field.substring(field.indexOf(':') + 1);
      switch (k) {
        case "th" -> {
          threshold = Threshold.parse(v);
          if (threshold == null) {
            throw new IllegalArgumentException("malformed ot th value: " + v);
          }
          tvalue = v;
        }
        case "rv" -> {
          rvalue = Randomness.parseRValue(v);
          if (rvalue < 0) {
            throw new IllegalArgumentException("malformed ot rv value: " + v);
          }
        }
        default -> otExtra.add(field);
      }
    }
  }

  public Threshold threshold() {
    return threshold;
  }

  /** The explicit randomness, or -1. */
  public long rvalue() {
    return rvalue;
  }

  public void setRvalue(long randomness) {
    this.rvalue = randomness;
  }

  public void clearThreshold() {
    threshold = null;
    tvalue = null;
  }

  /**
   * Records that the item was sampled at {@code th}. A sampler may not raise the probability an
   * earlier one set: then the arriving threshold stays and false is returned.
   */
  public boolean updateThreshold(Threshold th) {
    if (threshold != null && threshold.unsigned() > th.unsigned()) {
      return false;
    }
    threshold = th;
    tvalue = th.tvalue();
    return true;
  }

  public String serialize() {
    List<String> fields = new ArrayList<>();
    if (tvalue != null) {
      fields.add("th:" + tvalue);
    }
    if (rvalue >= 0) {
      fields.add("rv:" + Randomness.rvalue(rvalue));
    }
    fields.addAll(otExtra);
    List<String> members = new ArrayList<>();
    if (!fields.isEmpty()) {
      members.add("ot=" + String.join(";", fields));
    }
    members.addAll(others);
    return String.join(",", members);
  }
}
