package io.vigil.processor.attraction;

import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.Locale;

/**
 * The {@code convert} action's targets, as the Collector converts: a value that cannot be
 * converted (text that is not a number, a list) is left as it is rather than dropped.
 */
enum ValueConversion {
  INT, DOUBLE, STRING;

  static ValueConversion parse(String s) {
    return switch (s) {
      case "int" -> INT;
      case "double" -> DOUBLE;
      case "string" -> STRING;
      default -> null;
    };
  }

  AnyValue apply(AnyValue v) {
    return switch (this) {
      case STRING -> v.hasStringValue() ? v : AnyValues.string(AnyValues.asString(v));
      case INT -> toInt(v);
      case DOUBLE -> toDouble(v);
    };
  }

  private static AnyValue toInt(AnyValue v) {
    return switch (v.getValueCase()) {
      // Go's int64(f): truncation toward zero
      case DOUBLE_VALUE -> AnyValue.newBuilder().setIntValue((long) v.getDoubleValue()).build();
      case BOOL_VALUE -> AnyValue.newBuilder().setIntValue(v.getBoolValue() ? 1 : 0).build();
      case STRING_VALUE -> {
        try {
          yield AnyValue.newBuilder().setIntValue(Long.parseLong(v.getStringValue())).build();
        } catch (NumberFormatException e) {
          yield v;
        }
      }
      default -> v;
    };
  }

  private static AnyValue toDouble(AnyValue v) {
    return switch (v.getValueCase()) {
      case INT_VALUE -> AnyValue.newBuilder().setDoubleValue(v.getIntValue()).build();
      case BOOL_VALUE -> AnyValue.newBuilder().setDoubleValue(v.getBoolValue() ? 1 : 0).build();
      case STRING_VALUE -> {
        Double d = parseGoFloat(v.getStringValue());
        yield d == null ? v : AnyValue.newBuilder().setDoubleValue(d).build();
      }
      default -> v;
    };
  }

  /** Go's ParseFloat: no surrounding spaces, no Java type suffixes, "inf"/"nan" in any case. */
  static Double parseGoFloat(String s) {
    if (s.isEmpty() || s.strip().length() != s.length()) {
      return null;
    }
    String lower = s.toLowerCase(Locale.ROOT);
    String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (unsigned.equals("nan")) {
      return Double.NaN;
    }
    char last = lower.charAt(lower.length() - 1);
    if (last == 'd' || last == 'f' || !unsigned.isEmpty() && !Character.isDigit(unsigned.charAt(0))
        && unsigned.charAt(0) != '.') {
      return null;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
