package io.vigil.pdata;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Builds and reads OTLP attributes ({@link KeyValue} lists), the way every component needs. */
public final class Attributes {

  private Attributes() {}

  public static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  public static KeyValue number(String key, double value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setDoubleValue(value)).build();
  }

  public static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  public static KeyValue strings(String key, Collection<String> values) {
    ArrayValue.Builder array = ArrayValue.newBuilder();
    values.forEach(v -> array.addValues(AnyValue.newBuilder().setStringValue(v)));
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setArrayValue(array)).build();
  }

  /** The first attribute of this key, if any. */
  public static Optional<AnyValue> find(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return Optional.of(kv.getValue());
      }
    }
    return Optional.empty();
  }

  /** The string value of the first attribute of this key; null when absent or not a string. */
  public static String stringValue(List<KeyValue> attributes, String key) {
    return find(attributes, key).filter(AnyValue::hasStringValue).map(AnyValue::getStringValue)
        .orElse(null);
  }

  /** The string elements of an array attribute (empty when absent). */
  public static List<String> stringArray(List<KeyValue> attributes, String key) {
    List<String> out = new ArrayList<>();
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        for (AnyValue v : kv.getValue().getArrayValue().getValuesList()) {
          out.add(v.getStringValue());
        }
      }
    }
    return out;
  }
}
