package io.vigil.pdata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON, which is protobuf's JSON mapping with one exception that matters: trace and span
 * IDs are hex strings, not base64. IDs are rewritten in a Jackson tree, the rest is protobuf's
 * own {@link JsonFormat}, which also accepts enum numbers, both key spellings and int64 as
 * strings. Unknown fields are ignored, as the specification requires of receivers.
 */
public final class OtlpJson {

  private static final Set<String> ID_FIELDS =
      Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static {
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(200).build());
  }

  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private OtlpJson() {}

  /**
   * Parses OTLP/JSON into {@code builder}.
   *
   * @throws IllegalArgumentException naming what is wrong (bad JSON, bad hex ID, wrong type)
   */
  public static <B extends Message.Builder> B merge(byte[] json, B builder) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("unreadable JSON: " + e.getMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException("malformed JSON: expected an object at the top level");
    }
    hexIdsToBase64(tree, "");
    try {
      PARSER.merge(MAPPER.writeValueAsString(tree), builder);
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new IllegalArgumentException("invalid OTLP/JSON: " + e.getMessage());
    } catch (RuntimeException e) {
      // JsonFormat reports some type mismatches as unchecked exceptions.
      throw new IllegalArgumentException("invalid OTLP/JSON: " + e);
    }
    return builder;
  }

  /** Writes a message as OTLP/JSON, IDs in hex. */
  public static String print(Message message) {
    try {
      JsonNode tree = MAPPER.readTree(PRINTER.print(message));
      base64IdsToHex(tree);
      return MAPPER.writeValueAsString(tree);
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new IllegalStateException("cannot print " + message.getDescriptorForType(), e);
    }
  }

  private static void hexIdsToBase64(JsonNode node, String path) {
    if (node instanceof ObjectNode) {
      ObjectNode obj = (ObjectNode) node;
      for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (ID_FIELDS.contains(e.getKey()) && e.getValue().isTextual()) {
          e.setValue(TextNode.valueOf(hexToBase64(e.getValue().textValue(), p)));
        } else {
          hexIdsToBase64(e.getValue(), p);
        }
      }
    } else if (node instanceof ArrayNode) {
      for (int i = 0; i < node.size(); i++) {
        hexIdsToBase64(node.get(i), path + "[" + i + "]");
      }
    }
  }

  private static String hexToBase64(String hex, String path) {
    try {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid OTLP/JSON: " + path + " must be a hex string, got \"" + shorten(hex) + "\"");
    }
  }

  private static void base64IdsToHex(JsonNode node) {
    if (node instanceof ObjectNode) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (ID_FIELDS.contains(e.getKey()) && e.getValue().isTextual()) {
          e.setValue(TextNode.valueOf(
              HexFormat.of().formatHex(Base64.getDecoder().decode(e.getValue().textValue()))));
        } else {
          base64IdsToHex(e.getValue());
        }
      }
    } else if (node instanceof ArrayNode) {
      node.forEach(OtlpJson::base64IdsToHex);
    }
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
