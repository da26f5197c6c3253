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
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * {@code POST /api/chat/slash}: a Slack or Mattermost slash command in, a message out
 * ({@code {"response_type": "ephemeral" | "in_channel", "text": ...}}, which both render). Most
 * answers are one store look-up or transition and go back in the response; one that is not ready
 * within {@code chat::reply_within} (a slow store, the recommender) is replaced by "working on
 * it" and posted to the command's {@code response_url} when it is, because Slack shows the user
 * an error after 3 seconds. An approved action runs on the response engine's threads.
 */
public final class SlashCommandEndpoint implements HttpHandler {

  /** Where the endpoint is mounted on the incidents API. */
  public static final String PATH = "/api/chat/slash";
  private static final int MAX_BODY = 16 * 1024;
  private static final int ANSWERING = 4;
  private static final int QUEUE = 64;
  static final String WORKING = "Working on it: the answer follows here.";

  private final RequestVerifier verifier;
  private final ChatResponder responder;
  private final Logger log;
  private final Duration replyWithin;
  private final ChatPoster poster;
  private final ThreadPoolExecutor answering;

  public SlashCommandEndpoint(ChatConfig config, ChatResponder responder, Clock clock,
      Logger log) {
    this.verifier = new RequestVerifier(config.slackSigningSecret, config.mattermostToken,
        config.replayWindow, clock);
    this.responder = responder;
    this.log = log;
    this.replyWithin = config.replyWithin;
    this.poster = new ChatPoster(log);
    AtomicInteger n = new AtomicInteger();
    // Bounded both ways: a flood of slow commands is refused, not queued without end.
    this.answering = new ThreadPoolExecutor(ANSWERING, ANSWERING, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE), r -> {
          Thread t = new Thread(r, "incidents-chat-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    answering.allowCoreThreadTimeOut(true);
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
    ConfigException.requirePositive(c.replyWithin, "chat::reply_within");
    if (c.replyWithin.compareTo(Duration.ofMillis(2900)) > 0) {
      throw new ConfigException("chat::reply_within", "must be under 3s (Slack's limit), got "
          + c.replyWithin);
    }
    if (c.notifyUrl == null || !c.notifyUrl.isEmpty() && !ChatPoster.postable(c.notifyUrl)) {
      throw new ConfigException("chat::notify_url", "must be \"\" (off) or an http(s) URL,"
          + " got " + c.notifyUrl);
    }
    if (!"slack".equals(c.notifyFormat) && !"mattermost".equals(c.notifyFormat)) {
      throw new ConfigException("chat::notify_format", "expected slack or mattermost, got \""
          + c.notifyFormat + "\"");
    }
    if (c.notifyOn == null) {
      throw new ConfigException("chat::notify_on", "must be a list ([] = nothing)");
    }
    for (int i = 0; i < c.notifyOn.size(); i++) {
      try {
        IncidentNotifier.Event.of(String.valueOf(c.notifyOn.get(i)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("chat::notify_on::" + i, "expected opened, reopened,"
            + " escalated, acknowledged, resolved or approval, got \"" + c.notifyOn.get(i)
            + "\"");
      }
    }
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
      CompletableFuture<ChatResponder.Reply> answer;
      try {
        answer = CompletableFuture.supplyAsync(() -> responder.answer(cmd.text(), actor),
            answering);
      } catch (RejectedExecutionException e) {
        send(ex, 503, error(503, "too many commands in progress; try again"));
        return;
      }
      boolean followUp = ChatPoster.postable(cmd.responseUrl());
      ChatResponder.Reply reply;
      try {
        // Without a response_url there is nowhere to send it later: wait for it.
        reply = followUp ? answer.get(replyWithin.toMillis(), TimeUnit.MILLISECONDS)
            : answer.join();
      } catch (TimeoutException e) {
        answer.whenComplete((r, err) -> poster.post(cmd.responseUrl(),
            r != null && r.inChannel() ? "in_channel" : "ephemeral",
            r != null ? r.text() : "Sorry, that failed: " + err.getMessage()));
        send(ex, 200, JSON.createObjectNode().put("response_type", "ephemeral")
            .put("text", WORKING));
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        send(ex, 503, error(503, "shutting down"));
        return;
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
      ObjectNode n = JSON.createObjectNode()
          .put("response_type", reply.inChannel() ? "in_channel" : "ephemeral")
          .put("text", reply.text());
      send(ex, 200, n);
    } catch (RuntimeException e) {
      // join() wraps what the responder threw.
      log.error("chat: slash command failed", e instanceof CompletionException c
          && c.getCause() != null ? c.getCause() : e);
      send(ex, 500, error(500, "internal error"));
    }
  }
}
