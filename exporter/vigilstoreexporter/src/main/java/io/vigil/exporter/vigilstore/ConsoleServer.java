package io.vigil.exporter.vigilstore;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.config.tls.JdkHttpServers;
import io.vigil.config.tls.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The console's HTTP server (the JDK's, as the prometheus exporter's scrape endpoint): the JSON
 * API under {@code /api/}, the console's pages under {@code /}, and uPlot from its webjar under
 * {@code /uplot/}. With a token, the API answers 401 without {@code Authorization: Bearer
 * <token>}; the static files carry no data and stay open, so the page can ask for the token.
 * With {@code console::tls}, HTTPS only (the JDK's {@code HttpsServer} on configtls's reloading
 * key manager, so a rotated certificate is served from the next handshake on).
 *
 * <p>POSTs change incidents, so they must come from the console's own page: a JSON content type
 * (a form or a no-cors fetch from another site cannot send one without a CORS preflight, which
 * this server never grants) and, when the browser says where the request comes from, this
 * origin. Without a token on loopback that is what stops another web page from acting.
 */
final class ConsoleServer {

  private static final int MAX_BODY = 16 * 1024;
  private static final String PAGES = "/io/vigil/exporter/vigilstore/console/";
  private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8", "png", "image/png", "svg", "image/svg+xml");

  private final InetSocketAddress address;
  private final ConsoleApi api;
  private final byte[] token;
  private final ServerTls tls;
  private HttpServer server;
  private ExecutorService executor;

  /** @param tls null: plain HTTP */
  ConsoleServer(InetSocketAddress address, TelemetryQuery query, IncidentSource incidents,
      String token, ServerTls tls, Clock clock) {
    this.address = address;
    this.tls = tls;
    this.api = new ConsoleApi(query, incidents, clock);
    this.token = token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  void start() throws IOException {
    server = JdkHttpServers.create(address, 32, tls);
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

  /** {@code https} with {@code console::tls}, else {@code http}. */
  String scheme() {
    return tls == null ? "http" : "https";
  }

  void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
    if (tls != null) {
      tls.close();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      boolean post = method.equals("POST") && path.startsWith("/api/");
      if (!method.equals("GET") && !post) {
        ex.getResponseHeaders().set("Allow", path.startsWith("/api/") ? "GET, POST" : "GET");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      if (post) {
        String refused = crossSite(ex);
        if (refused != null) {
          send(ex, 403, "application/json", ConsoleApi.error(403, refused).body());
          return;
        }
      }
      if (path.startsWith("/api/")) {
        if (!authorized(ex)) {
          ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"vigil console\"");
          send(ex, 401, "application/json", "{\"error\":\"missing or wrong bearer token\"}"
              .getBytes(StandardCharsets.UTF_8));
          return;
        }
        ConsoleApi.Answer a;
        if (post) {
          byte[] body;
          try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
          }
          a = body.length > MAX_BODY ? ConsoleApi.error(413, "request body is over " + MAX_BODY
              + " bytes") : api.post(path, body);
        } else {
          a = api.answer(path, ex.getRequestURI().getRawQuery());
        }
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

  /** Why a POST is refused as not from the console's own page, or null when it is. */
  private static String crossSite(HttpExchange ex) {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      return "POST needs Content-Type: application/json";
    }
    String site = ex.getRequestHeaders().getFirst("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      return "POST from another site (" + site + ") refused";
    }
    String origin = ex.getRequestHeaders().getFirst("Origin");
    String host = ex.getRequestHeaders().getFirst("Host");
    if (origin != null && (host == null || !origin.replaceFirst("^https?://", "")
        .equalsIgnoreCase(host))) {
      return "POST from origin " + origin + " refused: only the console's own page may act";
    }
    return null;
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
