package io.vigil.exporter.prometheustranslator;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;
import java.util.stream.Collectors;

/** Attribute values as label text: scalars as written, arrays and maps as JSON. */
final class AttributeText {

  private AttributeText() {}

  static String of(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case BOOL_VALUE:
        return String.valueOf(v.getBoolValue());
      case INT_VALUE:
        return String.valueOf(v.getIntValue());
      case DOUBLE_VALUE:
        return String.valueOf(v.getDoubleValue());
      case ARRAY_VALUE:
        return v.getArrayValue().getValuesList().stream().map(AttributeText::json)
            .collect(Collectors.joining(",", "[", "]"));
      case KVLIST_VALUE:
        return v.getKvlistValue().getValuesList().stream()
            .map(kv -> quote(kv.getKey()) + ":" + json(kv.getValue()))
            .collect(Collectors.joining(",", "{", "}"));
      case BYTES_VALUE:
        return java.util.Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      default:
        return "";
    }
  }

  /** The string value of a key in a list of attributes, or null. */
  static String find(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return of(kv.getValue());
      }
    }
    return null;
  }

  private static String json(AnyValue v) {
    return v.getValueCase() == AnyValue.ValueCase.STRING_VALUE ? quote(v.getStringValue()) : of(v);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
