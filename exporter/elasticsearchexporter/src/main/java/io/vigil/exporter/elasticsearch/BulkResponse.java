package io.vigil.exporter.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The per-item results of a {@code _bulk} response, in the order of the request. */
final class BulkResponse {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What became of one document. */
  enum Outcome {
    /** Stored now, or by an earlier attempt (409 on our own _id). */
    INDEXED,
    /** Refused for the moment (429, 5xx): send it again. */
    RETRY,
    /** Refused for what it is (mapping conflict, bad value): sending it again cannot help. */
    DROPPED
  }

  /** One item: HTTP status, and for a failure the engine's error type and reason. */
  record Item(int status, String errorType, String errorReason) {
    Outcome outcome() {
      if (status >= 200 && status < 300) {
        return Outcome.INDEXED;
      }
      if (status == 409 && "version_conflict_engine_exception".equals(errorType)) {
        return Outcome.INDEXED;
      }
      if (status == 429 || status >= 500) {
        return Outcome.RETRY;
      }
      return Outcome.DROPPED;
    }
  }

  private BulkResponse() {}

  /**
   * @throws IOException when the body is not a bulk response with one item per document sent
   */
  static List<Item> items(byte[] body, int expected) throws IOException {
    JsonNode root = JSON.readTree(body);
    JsonNode items = root == null ? null : root.get("items");
    if (items == null || !items.isArray() || items.size() != expected) {
      throw new IOException("expected " + expected + " items in the bulk response, got "
          + (items == null ? "none" : items.size()));
    }
    List<Item> out = new ArrayList<>(expected);
    for (JsonNode wrapper : items) {
      // {"create": {...}}: one field named after the action.
      JsonNode item = wrapper.elements().hasNext() ? wrapper.elements().next() : wrapper;
      JsonNode error = item.get("error");
      String type = null;
      String reason = null;
      if (error != null) {
        type = error.path("type").asText("unknown");
        reason = error.path("reason").asText(error.toString());
        JsonNode cause = error.get("caused_by");
        if (cause != null && cause.has("reason")) {
          reason = reason + " (" + cause.path("type").asText() + ": "
              + cause.path("reason").asText() + ")";
        }
      }
      out.add(new Item(item.path("status").asInt(0), type, reason));
    }
    return out;
  }
}
