package io.vigil.processor.k8sattributes.internal;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;

/** String attributes of a resource, as the Collector reads and writes them here. */
final class Attrs {
  private Attrs() {}

  static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  /** A string-array attribute, as the Collector's {@code container.image.repo_digests}. */
  static KeyValue array(String key, String... values) {
    ArrayValue.Builder a = ArrayValue.newBuilder();
    for (String v : values) {
      a.addValues(AnyValue.newBuilder().setStringValue(v));
    }
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setArrayValue(a))
        .build();
  }

  /** The value of {@code key} as a string (non-string scalars printed), or null when absent. */
  static String get(List<KeyValue> attrs, String key) {
    for (int i = 0; i < attrs.size(); i++) {
      KeyValue kv = attrs.get(i);
      if (kv.getKey().equals(key)) {
        return asString(kv.getValue());
      }
    }
    return null;
  }

  static String asString(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case INT_VALUE:
        return Long.toString(v.getIntValue());
      case BOOL_VALUE:
        return Boolean.toString(v.getBoolValue());
      case DOUBLE_VALUE:
        return Double.toString(v.getDoubleValue());
      default:
        return null;
    }
  }
}
