package io.vigil.exporter.incidents.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/**
 * Posts a message to a chat platform: a slash command's follow-up to its {@code response_url},
 * or a notification to an incoming webhook. Both Slack and Mattermost take
 * {@code {"text": ..., "response_type"?: ...}}. Asynchronous and never throws: a chat platform
 * being down must not hold up a command or an action, so a failure is only logged.
 */
public final class ChatPoster {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final Logger log;

  public ChatPoster(Logger log) {
    this.log = log;
  }

  /** True for an absolute http or https URL with a host: what this can post to. */
  public static boolean postable(String url) {
    try {
      URI u = URI.create(url);
      return ("https".equals(u.getScheme()) || "http".equals(u.getScheme()))
          && u.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Posts {@code text}; {@code responseType} is "in_channel", "ephemeral" or null (an incoming
   * webhook's message). Completes with the HTTP status, or -1 when it could not be sent.
   */
  public CompletableFuture<Integer> post(String url, String responseType, String text) {
    ObjectNode n = JsonReplies.JSON.createObjectNode().put("text", text);
    if (responseType != null) {
      n.put("response_type", responseType).put("replace_original", false);
    }
    return post(url, n);
  }

  /** Posts a message built by the caller (an incoming webhook's blocks or attachments). */
  public CompletableFuture<Integer> post(String url, ObjectNode n) {
    HttpRequest req;
    try {
      req = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JsonReplies.JSON.writeValueAsString(n))).build();
    } catch (IllegalArgumentException | JsonProcessingException e) {
      log.warn("chat: cannot post to {}: {}", url, e.getMessage());
      return CompletableFuture.completedFuture(-1);
    }
    return http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
      if (e != null) {
        log.warn("chat: post to {} failed: {}", req.uri().getHost(), e.toString());
        return -1;
      }
      if (r.statusCode() / 100 != 2) {
        log.warn("chat: post to {} answered HTTP {}", req.uri().getHost(), r.statusCode());
      }
      return r.statusCode();
    });
  }
}
