package io.vigil.exporter.incidents.chat;

import static io.vigil.exporter.incidents.chat.JsonReplies.JSON;
import static io.vigil.exporter.incidents.chat.JsonReplies.error;
import static io.vigil.exporter.incidents.chat.JsonReplies.send;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.vigil.core.config.ConfigException;
import io.vigil.exporter.incidents.ChatConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;

/**
 * {@code POST /api/chat/slash}: a Slack or Mattermost slash command in, a message out
 * ({@code {"response_type": "ephemeral" | "in_channel", "text": ...}}, which both render). The
 * answer is synchronous: every command is a store look-up or one transition, well within the
 * 3 seconds Slack waits, and an approved action runs on the response engine's threads.
 */
public final class SlashCommandEndpoint implements HttpHandler {

  /** Where the endpoint is mounted on the incidents API. */
  public static final String PATH = "/api/chat/slash";
  private static final int MAX_BODY = 16 * 1024;

  private final RequestVerifier verifier;
  private final ChatResponder responder;
  private final Logger log;

  public SlashCommandEndpoint(ChatConfig config, ChatResponder responder, Clock clock,
      Logger log) {
    this.verifier = new RequestVerifier(config.slackSigningSecret, config.mattermostToken,
        config.replayWindow, clock);
    this.responder = responder;
    this.log = log;
  }

  /** Checks the {@code chat} block. */
  public static void validate(ChatConfig c) {
    if (c == null) {
      throw new ConfigException("chat", "must be a block");
    }
    if (c.slackSigningSecret == null) {
      throw new ConfigException("chat::slack_signing_secret", "must be a string (\"\" = off)");
    }
    if (c.mattermostToken == null) {
      throw new ConfigException("chat::mattermost_token", "must be a string (\"\" = off)");
    }
    ConfigException.requirePositive(c.replayWindow, "chat::replay_window");
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("POST")) {
        send(ex, 405, error(405, ex.getRequestMethod() + " is not allowed; slash commands are"
            + " POSTed"));
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
      SlashCommand cmd;
      try {
        cmd = SlashCommand.parse(new String(body, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        send(ex, 400, error(400, e.getMessage()));
        return;
      }
      String platform;
      try {
        platform = verifier.verify(ex.getRequestHeaders().getFirst("X-Slack-Signature"),
            ex.getRequestHeaders().getFirst("X-Slack-Request-Timestamp"), body, cmd.token());
      } catch (RequestVerifier.Refused e) {
        log.warn("chat: refused a slash command from {}: {}", ex.getRemoteAddress(),
            e.getMessage());
        send(ex, 401, error(401, e.getMessage()));
        return;
      }
      String actor = platform + ":" + (cmd.userName().isBlank() ? "unknown" : cmd.userName());
      ChatResponder.Reply reply = responder.answer(cmd.text(), actor);
      ObjectNode n = JSON.createObjectNode()
          .put("response_type", reply.inChannel() ? "in_channel" : "ephemeral")
          .put("text", reply.text());
      send(ex, 200, n);
    } catch (RuntimeException e) {
      log.error("chat: slash command failed", e);
      send(ex, 500, error(500, "internal error"));
    }
  }
}
