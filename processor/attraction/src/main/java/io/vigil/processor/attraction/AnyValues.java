package io.vigil.processor.attraction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.vigil.core.config.ConfigException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions between config values, OTLP {@link AnyValue}s and strings, as pdata does them. */
public final class AnyValues {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AnyValues() {}

  /** A value written in YAML (string, number, boolean, list, map) as an AnyValue. */
  public static AnyValue fromRaw(Object raw, String keyPath) {
    if (raw instanceof String s) {
      return AnyValue.newBuilder().setStringValue(s).build();
    }
    if (raw instanceof Boolean b) {
      return AnyValue.newBuilder().setBoolValue(b).build();
    }
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
      return AnyValue.newBuilder().setIntValue(((Number) raw).longValue()).build();
    }
    if (raw instanceof java.math.BigInteger big) {
      try {
        return AnyValue.newBuilder().setIntValue(big.longValueExact()).build();
      } catch (ArithmeticException e) {
        throw new ConfigException(keyPath, "integer " + big + " does not fit in 64 bits");
      }
    }
    if (raw instanceof Number n) {
      return AnyValue.newBuilder().setDoubleValue(n.doubleValue()).build();
    }
    if (raw instanceof List<?> list) {
      ArrayValue.Builder a = ArrayValue.newBuilder();
      for (int i = 0; i < list.size(); i++) {
        a.addValues(fromRaw(list.get(i), keyPath + "::" + i));
      }
      return AnyValue.newBuilder().setArrayValue(a).build();
    }
    if (raw instanceof Map<?, ?> map) {
      KeyValueList.Builder kv = KeyValueList.newBuilder();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String k = String.valueOf(e.getKey());
        kv.addValues(KeyValue.newBuilder().setKey(k).setValue(fromRaw(e.getValue(), keyPath + "::" + k)));
      }
      return AnyValue.newBuilder().setKvlistValue(kv).build();
    }
    if (raw == null) {
      throw new ConfigException(keyPath, "a value is required (YAML null given)");
    }
    throw new ConfigException(keyPath, "cannot use " + raw.getClass().getSimpleName() + " as a value");
  }

  /** The value as text, as pdata's {@code Value.AsString}: JSON for lists and maps. */
  public static String asString(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> doubleAsString(v.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE, KVLIST_VALUE -> json(v);
      default -> "";
    };
  }

  /** Go's {@code strconv.FormatFloat(f, 'f', -1, 64)}: shortest digits, never an exponent. */
  static String doubleAsString(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return (1 / d) < 0 ? "-0" : "0";
    }
    return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
  }

  private static String json(AnyValue v) {
    try {
      return JSON.writeValueAsString(plain(v));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an attribute value as JSON", e);
    }
  }

  private static Object plain(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE -> {
        List<Object> out = new ArrayList<>();
        v.getArrayValue().getValuesList().forEach(x -> out.add(plain(x)));
        yield out;
      }
      case KVLIST_VALUE -> {
        Map<String, Object> out = new LinkedHashMap<>();
        v.getKvlistValue().getValuesList().forEach(kv -> out.put(kv.getKey(), plain(kv.getValue())));
        yield out;
      }
      default -> null;
    };
  }

  static AnyValue string(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }
}
