package io.vigil.exporter.vigilstore;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The console's HTTP server (the JDK's, as the prometheus exporter's scrape endpoint): the JSON
 * API under {@code /api/}, the console's pages under {@code /}, and uPlot from its webjar under
 * {@code /uplot/}. With a token, the API answers 401 without {@code Authorization: Bearer
 * <token>}; the static files carry no data and stay open, so the page can ask for the token.
 */
final class ConsoleServer {

  private static final String PAGES = "/io/vigil/exporter/vigilstore/console/";
  private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8", "png", "image/png", "svg", "image/svg+xml");

  private final InetSocketAddress address;
  private final ConsoleApi api;
  private final byte[] token;
  private HttpServer server;
  private ExecutorService executor;

  ConsoleServer(InetSocketAddress address, TelemetryQuery query, IncidentSource incidents,
      String token, Clock clock) {
    this.address = address;
    this.api = new ConsoleApi(query, incidents, clock);
    this.token = token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  void start() throws IOException {
    server = HttpServer.create(address, 32);
    // Queries can take a while on a big store: a few threads, so one slow query does not block
    // the page's other requests.
    executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "vigil-console-" + address.getPort());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET")) {
        ex.getResponseHeaders().set("Allow", "GET");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      String path = ex.getRequestURI().getPath();
      if (path.startsWith("/api/")) {
        if (!authorized(ex)) {
          ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"vigil console\"");
          send(ex, 401, "application/json", "{\"error\":\"missing or wrong bearer token\"}"
              .getBytes(StandardCharsets.UTF_8));
          return;
        }
        ConsoleApi.Answer a = api.answer(path, ex.getRequestURI().getRawQuery());
        send(ex, a.status(), "application/json", a.body());
        return;
      }
      String resource = path.equals("/") ? PAGES + "index.html"
          : path.startsWith("/uplot/") ? UPLOT + path.substring("/uplot/".length())
          : PAGES + path.substring(1);
      if (resource.contains("..")) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      try (InputStream in = ConsoleServer.class.getResourceAsStream(resource)) {
        if (in == null) {
          ex.sendResponseHeaders(404, -1);
          return;
        }
        String ext = resource.substring(resource.lastIndexOf('.') + 1);
        send(ex, 200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
      }
    }
  }

  private boolean authorized(HttpExchange ex) {
    if (token == null) {
      return true;
    }
    String given = ex.getRequestHeaders().getFirst("Authorization");
    // Constant time, so the token cannot be guessed byte by byte from response times.
    return given != null
        && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    ex.getResponseBody().write(body);
  }
}
