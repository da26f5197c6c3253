package io.vigil.processor.ottl.internal;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.vigil.processor.attraction.AnyValues;
import io.vigil.processor.ottl.OttlEvaluationException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Conversions between OTLP values and the evaluator's Java values, and OTTL's comparisons. */
public final class Values {
  private Values() {}

  public static Object fromAny(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BYTES_VALUE -> v.getBytesValue();
      case ARRAY_VALUE -> {
        List<Object> out = new ArrayList<>(v.getArrayValue().getValuesCount());
        v.getArrayValue().getValuesList().forEach(x -> out.add(fromAny(x)));
        yield out;
      }
      case KVLIST_VALUE -> toMap(v.getKvlistValue().getValuesList());
      default -> null;
    };
  }

  public static AnyValue toAny(Object v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v == null) {
      return b.build();
    }
    if (v instanceof String s) {
      return b.setStringValue(s).build();
    }
    if (v instanceof Boolean x) {
      return b.setBoolValue(x).build();
    }
    if (v instanceof Long x) {
      return b.setIntValue(x).build();
    }
    if (v instanceof Double x) {
      return b.setDoubleValue(x).build();
    }
    if (v instanceof ByteString x) {
      return b.setBytesValue(x).build();
    }
    if (v instanceof List<?> list) {
      ArrayValue.Builder a = ArrayValue.newBuilder();
      list.forEach(x -> a.addValues(toAny(x)));
      return b.setArrayValue(a).build();
    }
    if (v instanceof Map<?, ?> map) {
      return b.setKvlistValue(KeyValueList.newBuilder().addAllValues(toKeyValues(map))).build();
    }
    throw new OttlEvaluationException("cannot store a " + v.getClass().getSimpleName() + " as a value");
  }

  public static Map<String, Object> toMap(List<KeyValue> kvs) {
    Map<String, Object> out = new LinkedHashMap<>(Math.max(4, kvs.size() * 2));
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), fromAny(kv.getValue()));
    }
    return out;
  }

  public static List<KeyValue> toKeyValues(Map<?, ?> map) {
    List<KeyValue> out = new ArrayList<>(map.size());
    map.forEach((k, v) -> out.add(KeyValue.newBuilder().setKey(String.valueOf(k)).setValue(toAny(v)).build()));
    return out;
  }

  /** The value as text the way pdata's {@code AsString} writes it (JSON for maps and lists). */
  public static String asString(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof ByteString b) {
      return HexFormat.of().formatHex(b.toByteArray());
    }
    return AnyValues.asString(toAny(v));
  }

  /** The name a type has in error messages. */
  public static String typeName(Object v) {
    if (v == null) {
      return "nil";
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof Long) {
      return "int";
    }
    if (v instanceof Double) {
      return "double";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    if (v instanceof ByteString) {
      return "bytes";
    }
    if (v instanceof List) {
      return "slice";
    }
    if (v instanceof Map) {
      return "map";
    }
    return v.getClass().getSimpleName();
  }

  /**
   * OTTL's {@code ==}: values of one type compare by value, an int and a double numerically, nil
   * only equals nil, and values of different types are never equal (no error).
   */
  public static boolean equal(Object a, Object b) {
    if (a instanceof Long x && b instanceof Double y) {
      return x.doubleValue() == y;
    }
    if (a instanceof Double x && b instanceof Long y) {
      return x == y.doubleValue();
    }
    return Objects.equals(a, b);
  }

  /**
   * The order of two values for {@code < <= > >=}: numbers numerically, strings by their bytes,
   * bytes by value; anything else (bools, nil, maps, different types) has no order, and such a
   * comparison is false, as in the Collector.
   */
  public static Integer order(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    if (a instanceof ByteString x && b instanceof ByteString y) {
      return ByteString.unsignedLexicographicalComparator().compare(x, y);
    }
    return null;
  }
}
