package io.vigil.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The launcher's control endpoint, on loopback: {@code POST /restart} with
 * {@code {"service": "orders"}} restarts that demo service's process (what an operator does
 * about a memory leak, and what the demo's response rule does), answering once it is healthy
 * again. The body names the service, not the path, so one rule with a templated body serves
 * every service.
 */
final class LauncherControl implements AutoCloseable {

  static final String RESTART = "/restart";
  private static final int MAX_BODY = 4096;

  private final ObjectMapper json = new ObjectMapper();
  private final DemoServices services;
  private final HttpServer server;
  private final ExecutorService threads;

  LauncherControl(int port, DemoServices services) throws IOException {
    this.services = services;
    try {
      this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    } catch (java.net.BindException e) {
      throw new IOException("launcher control endpoint 127.0.0.1:" + port + ": " + e.getMessage()
          + " (another demo still running?)", e);
    }
    this.threads = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "launcher-control");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.createContext(RESTART, this::restart);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void restart(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().add("Allow", "POST");
        answer(ex, 405, Map.of("error", "POST {\"service\": \"<name>\"}"));
        return;
      }
      String service;
      try (InputStream in = ex.getRequestBody()) {
        JsonNode body = json.readTree(in.readNBytes(MAX_BODY));
        JsonNode s = body == null ? null : body.get("service");
        if (s == null || !s.isTextual() || s.asText().isBlank()) {
          answer(ex, 400, Map.of("error", "the body must be {\"service\": \"<name>\"}"));
          return;
        }
        service = s.asText();
      } catch (IOException e) {
        answer(ex, 400, Map.of("error", "not JSON: " + e.getMessage()));
        return;
      }
      try {
        DemoServices.Restart r = services.restart(service);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", r.service());
        m.put("old_pid", r.oldPid());
        m.put("pid", r.pid());
        m.put("took_ms", r.took().toMillis());
        answer(ex, 200, m);
      } catch (IllegalArgumentException e) {
        answer(ex, 404, Map.of("error", e.getMessage()));
      } catch (IllegalStateException e) {
        answer(ex, 503, Map.of("error", e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        answer(ex, 503, Map.of("error", "the launcher is stopping"));
      }
    }
  }

  private void answer(HttpExchange ex, int status, Map<String, ?> body) throws IOException {
    byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
