package io.vigil.exporter.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** OTLP values as JSON: attribute values, bodies, IDs and timestamps. */
final class AnyValues {

  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private AnyValues() {}

  static JsonNode json(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> JSON.textNode(v.getStringValue());
      case BOOL_VALUE -> JSON.booleanNode(v.getBoolValue());
      case INT_VALUE -> JSON.numberNode(v.getIntValue());
      case DOUBLE_VALUE -> JSON.numberNode(v.getDoubleValue());
      case BYTES_VALUE -> JSON.textNode(Base64.getEncoder().encodeToString(
          v.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        ArrayNode a = JSON.arrayNode();
        v.getArrayValue().getValuesList().forEach(e -> a.add(json(e)));
        yield a;
      }
      case KVLIST_VALUE -> object(v.getKvlistValue().getValuesList());
      default -> JSON.nullNode();
    };
  }

  /** Attributes as one JSON object whose keys are the attribute keys as they are. */
  static ObjectNode object(List<KeyValue> attributes) {
    ObjectNode o = JSON.objectNode();
    for (KeyValue kv : attributes) {
      o.set(kv.getKey(), json(kv.getValue()));
    }
    return o;
  }

  /** A string as it is; anything else as its JSON text (for message fields). */
  static String text(AnyValue v) {
    return v.hasStringValue() ? v.getStringValue() : json(v).toString();
  }

  static String hex(com.google.protobuf.ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  /** ISO-8601 with every digit of the nanoseconds, which date_nanos keeps. */
  static String timestamp(long unixNano) {
    return Instant.ofEpochSecond(0, unixNano).toString();
  }

  static boolean isAllZero(com.google.protobuf.ByteString id) {
    for (int i = 0; i < id.size(); i++) {
      if (id.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
