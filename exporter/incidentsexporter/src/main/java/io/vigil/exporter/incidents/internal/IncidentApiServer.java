package io.vigil.exporter.incidents.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.vigil.config.tls.JdkHttpServers;
import io.vigil.config.tls.ServerTls;
import io.vigil.core.config.GoDuration;
import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.IncidentQuery;
import io.vigil.exporter.incidents.IncidentState;
import io.vigil.exporter.incidents.response.NoSuchActionException;
import io.vigil.exporter.incidents.response.ResponseEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The incidents HTTP JSON API on the JDK's HTTP server: requests are few (people and scripts),
 * so a small thread pool over the blocking store is simpler than an event loop and blocks no
 * pipeline thread. Every error is {@code {"status": N, "message": "..."}}. With {@code api::tls},
 * HTTPS only (configtls's reloading key and trust managers), so the bearer token and the chat
 * platforms' signed requests do not cross the network in plaintext.
 */
public final class IncidentApiServer {

  private static final int MAX_BODY = 64 * 1024;
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;
  /** {@code GET}: the resolution categories to offer (classifier's classes, ones used before). */
  public static final String CATEGORIES_PATH = "/api/categories";
  /** {@code GET}: weak signals held now, and the latest that expired without an incident. */
  public static final String SIGNALS_PATH = "/api/signals";
  /** Resolutions the category list looks back over. */
  private static final int CATEGORY_LOOKBACK = 1000;

  private final InetSocketAddress address;
  private final byte[] token;
  private final IncidentTracker tracker;
  private final ResponseEngine response;
  private final IncidentJson json;
  private final Clock clock;
  private final Logger log;
  private final ServerTls tls;
  private final Map<String, HttpHandler> mounted = new LinkedHashMap<>();
  private HttpServer server;
  private ExecutorService threads;

  /** @param response null when no response rules are configured */
  public IncidentApiServer(InetSocketAddress address, String token, IncidentTracker tracker,
      ResponseEngine response, IncidentJson json, Clock clock, Logger log) {
    this(address, token, null, tracker, response, json, clock, log);
  }

  /**
   * @param tls null: plain HTTP; else HTTPS, closed by {@link #stop()}
   * @param response null when no response rules are configured
   */
  public IncidentApiServer(InetSocketAddress address, String token, ServerTls tls,
      IncidentTracker tracker, ResponseEngine response, IncidentJson json, Clock clock,
      Logger log) {
    this.address = address;
    this.tls = tls;
    this.token = token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.tracker = tracker;
    this.response = response;
    this.json = json;
    this.clock = clock;
    this.log = log;
  }

  public void start() throws IOException {
    server = JdkHttpServers.create(address, 0, tls);
    threads = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "incidents-api");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.createContext("/api/incidents", this::handle);
    server.createContext(CATEGORIES_PATH, this::handle);
    server.createContext(SIGNALS_PATH, this::handle);
    // Mounted handlers authenticate their own requests (a chat platform's signature, not the
    // bearer token).
    mounted.forEach(server::createContext);
    server.start();
  }

  /** Serves {@code path} with {@code handler} too, from {@link #start()} on. */
  public void mount(String path, HttpHandler handler) {
    mounted.put(path, handler);
  }

  /** Like {@link #mount}, behind the API's bearer token. */
  public void mountBehindToken(String path, HttpHandler handler) {
    mounted.put(path, ex -> {
      if (token != null && !authorized(ex)) {
        try (ex) {
          ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"vigil-incidents\"");
          send(ex, 401, error(401, "missing or wrong bearer token"));
        }
        return;
      }
      handler.handle(ex);
    });
  }

  /** {@code https} with {@code api::tls}, else {@code http}. */
  public String scheme() {
    return tls == null ? "http" : "https";
  }

  /** The port it listens on (the config's, or the one picked for port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  public void stop() {
    if (server != null) {
      server.stop(0);
      threads.shutdown();
      try {
        threads.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (tls != null) {
      tls.close();
    }
  }

  /** An answer that is not 200: the status and the message for the JSON error body. */
  private static final class ApiError extends RuntimeException {
    final int status;

    ApiError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      try {
        if (token != null && !authorized(ex)) {
          ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"vigil-incidents\"");
          throw new ApiError(401, "missing or wrong bearer token");
        }
        send(ex, 200, route(ex));
      } catch (ApiError e) {
        send(ex, e.status, error(e.status, e.getMessage()));
      } catch (UnknownIncidentException e) {
        send(ex, 404, error(404, e.getMessage()));
      } catch (NoSuchActionException e) {
        send(ex, 404, error(404, e.getMessage()));
      } catch (TransitionRefusedException e) {
        send(ex, 409, error(409, e.getMessage()));
      } catch (RuntimeException e) {
        log.error("incidents API: {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
        send(ex, 500, error(500, "internal error: " + e.getMessage()));
      }
    }
  }

  private boolean authorized(HttpExchange ex) {
    String given = ex.getRequestHeaders().getFirst("Authorization");
    // Constant-time, so the token cannot be guessed byte by byte from response times.
    return given != null
        && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    if (path.equals(SIGNALS_PATH)) {
      requireMethod(ex.getRequestMethod(), "GET", path);
      int limit = intParam(params(ex.getRequestURI().getRawQuery()), "limit", DEFAULT_LIMIT, 1,
          MAX_LIMIT);
      return json.signals(tracker.heldSignals(), tracker.signalsNotOpened(limit));
    }
    if (!path.startsWith("/api/incidents")) {
      if (!path.equals(CATEGORIES_PATH)) {
        throw new ApiError(404, "no such resource: " + path);
      }
      requireMethod(ex.getRequestMethod(), "GET", path);
      return categories();
    }
    String rest = path.substring("/api/incidents".length());
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    String method = ex.getRequestMethod();
    Map<String, String> params = params(ex.getRequestURI().getRawQuery());
    if (rest.isEmpty()) {
      requireMethod(method, "GET", path);
      return list(params);
    }
    String[] parts = rest.substring(1).split("/");
    String id = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
    if (parts.length == 1) {
      requireMethod(method, "GET", path);
      return json.full(tracker.get(id));
    }
    if (parts.length == 4 && parts[1].equals("actions") && parts[3].equals("approve")) {
      requireMethod(method, "POST", path);
      return approve(ex, id, parts[2]);
    }
    if (parts.length > 2) {
      throw new ApiError(404, "no such resource: " + path);
    }
    String action = parts[1];
    if (action.equals("similar")) {
      requireMethod(method, "GET", path);
      int k = intParam(params, "k", 5, 1, 100);
      return json.recommendations(id, tracker.similar(id, k));
    }
    requireMethod(method, "POST", path);
    JsonNode body = body(ex);
    String by = text(body, "by", false);
    String actor = by == null ? "api" : by;
    Incident i = switch (action) {
      case "acknowledge" -> tracker.acknowledge(id, actor, text(body, "note", false));
      case "resolve" -> tracker.resolve(id, actor, text(body, "category", true),
          text(body, "note", true));
      case "reopen" -> tracker.reopen(id, actor, text(body, "note", false));
      case "reclassify" -> tracker.reclassify(id, actor, text(body, "label", false));
      default -> throw new ApiError(404, "no such action \"" + action + "\" (acknowledge,"
          + " resolve, reopen, reclassify, similar)");
    };
    return json.full(i);
  }

  /** {@code POST /api/incidents/{id}/actions/{n}/approve}: runs an action that awaits approval. */
  private JsonNode approve(HttpExchange ex, String id, String n) throws IOException {
    if (response == null) {
      throw new ApiError(404, "no response rules are configured (exporters::incidents::response)");
    }
    int number;
    try {
      number = Integer.parseInt(n);
    } catch (NumberFormatException e) {
      throw new ApiError(400, "action number: expected a whole number, got \"" + n + "\"");
    }
    String by = text(body(ex), "by", false);
    response.approve(id, number, by == null ? "api" : by);
    return json.full(tracker.get(id));
  }

  /** {@code {categories: [{name, resolved}]}}: what a resolve form offers; any text is taken. */
  private JsonNode categories() {
    ObjectNode n = IncidentJson.MAPPER.createObjectNode();
    var a = n.putArray("categories");
    tracker.resolutionCategories(CATEGORY_LOOKBACK).forEach((name, count) ->
        a.addObject().put("name", name).put("resolved", count));
    return n;
  }

  private JsonNode list(Map<String, String> params) {
    IncidentState state = null;
    if (params.containsKey("state") && !params.get("state").isEmpty()) {
      try {
        state = IncidentState.of(params.get("state"));
      } catch (IllegalArgumentException e) {
        throw new ApiError(400, "state: " + e.getMessage());
      }
    }
    String service = params.getOrDefault("service", "");
    Instant since = since(params.getOrDefault("since", ""));
    int limit = intParam(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    List<Incident> found = tracker.list(new IncidentQuery(state,
        service.isEmpty() ? null : service, since, limit));
    ObjectNode n = IncidentJson.MAPPER.createObjectNode();
    var a = n.putArray("incidents");
    found.forEach(i -> a.add(json.summary(i)));
    n.put("count", found.size());
    return n;
  }

  /** {@code since} as an instant ({@code 2026-01-01T00:00:00Z}) or a time back from now. */
  private Instant since(String value) {
    if (value.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return clock.instant().minus(GoDuration.parse(value));
      } catch (RuntimeException notADuration) {
        throw new ApiError(400, "since: expected an RFC 3339 instant"
            + " (2026-01-01T00:00:00Z) or a duration back from now (1h, 30m), got \"" + value
            + "\"");
      }
    }
  }

  private static int intParam(Map<String, String> params, String name, int otherwise, int min,
      int max) {
    String v = params.get(name);
    if (v == null || v.isEmpty()) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ApiError(400, name + ": expected a whole number from " + min + " to " + max
          + ", got \"" + v + "\"");
    }
  }

  private static void requireMethod(String method, String wanted, String path) {
    if (!method.equals(wanted)) {
      throw new ApiError(405, method + " is not allowed on " + path + "; use " + wanted);
    }
  }

  private static JsonNode body(HttpExchange ex) throws IOException {
    byte[] bytes;
    try (InputStream in = ex.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    }
    if (bytes.length > MAX_BODY) {
      throw new ApiError(413, "request body is over " + MAX_BODY + " bytes");
    }
    if (bytes.length == 0) {
      return IncidentJson.MAPPER.createObjectNode();
    }
    JsonNode n;
    try {
      n = IncidentJson.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new ApiError(400, "request body is not valid JSON: " + e.getOriginalMessage()
          + " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr());
    }
    if (n == null || !n.isObject()) {
      throw new ApiError(400, "request body must be a JSON object");
    }
    return n;
  }

  private static String text(JsonNode body, String field, boolean required) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new ApiError(400, field + ": required");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new ApiError(400, field + ": must be a string, got " + v.getNodeType()
          .name().toLowerCase());
    }
    if (required && v.asText().isBlank()) {
      throw new ApiError(400, field + ": must not be empty");
    }
    return v.asText();
  }

  private static Map<String, String> params(String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private static ObjectNode error(int status, String message) {
    return IncidentJson.MAPPER.createObjectNode().put("status", status).put("message", message);
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = IncidentJson.MAPPER.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }
}
