package io.vigil.exporter.incidents.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** The JSON answers both chat endpoints write. */
final class JsonReplies {

  static final ObjectMapper JSON = new ObjectMapper();

  private JsonReplies() {}

  static ObjectNode error(int status, String message) {
    return JSON.createObjectNode().put("status", status).put("message", message);
  }

  static void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }
}
