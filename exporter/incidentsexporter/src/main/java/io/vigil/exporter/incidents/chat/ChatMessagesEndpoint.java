package io.vigil.exporter.incidents.chat;

import static io.vigil.exporter.incidents.chat.JsonReplies.JSON;
import static io.vigil.exporter.incidents.chat.JsonReplies.error;
import static io.vigil.exporter.incidents.chat.JsonReplies.send;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;

/**
 * {@code POST /api/chat/messages}: the same conversation as the slash command, as JSON for a
 * console's chat panel, behind the API's bearer token. In: {@code {"text": "...", "by": "..."}};
 * out: {@code {"text", "intent", "ran", "in_channel"}}.
 */
public final class ChatMessagesEndpoint implements HttpHandler {

  public static final String PATH = "/api/chat/messages";
  private static final int MAX_BODY = 16 * 1024;

  private final ChatResponder responder;
  private final Logger log;

  public ChatMessagesEndpoint(ChatResponder responder, Logger log) {
    this.responder = responder;
    this.log = log;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("POST")) {
        send(ex, 405, error(405, ex.getRequestMethod() + " is not allowed; POST a message"));
        return;
      }
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        send(ex, 413, error(413, "request body is over " + MAX_BODY + " bytes"));
        return;
      }
      JsonNode n;
      try {
        n = JSON.readTree(body);
      } catch (JsonProcessingException e) {
        send(ex, 400, error(400, "request body is not valid JSON: " + e.getOriginalMessage()));
        return;
      }
      if (n == null || !n.path("text").isTextual()) {
        send(ex, 400, error(400, "text: required, a string"));
        return;
      }
      String by = n.path("by").isTextual() && !n.path("by").asText().isBlank()
          ? n.path("by").asText() : "api";
      ChatResponder.Reply reply = responder.answer(n.path("text").asText(), "console:" + by);
      send(ex, 200, JSON.createObjectNode().put("text", reply.text())
          .put("intent", reply.intent().label()).put("ran", reply.ran())
          .put("in_channel", reply.inChannel()));
    } catch (RuntimeException e) {
      log.error("chat: message failed", e);
      send(ex, 500, error(500, "internal error"));
    }
  }
}
