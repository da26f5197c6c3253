package io.vigil.agent;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain application, unaware of OpenTelemetry: an HTTP server whose {@code /hello} calls its
 * own {@code /backend} with the JDK HTTP client, logging through logback. Run in a child JVM
 * under vigil-agent by {@link AgentIT}.
 */
public final class DemoApp {

  private static final Logger log = LoggerFactory.getLogger(DemoApp.class);

  private DemoApp() {}

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    int port = server.getAddress().getPort();
    HttpClient client = HttpClient.newHttpClient();
    server.createContext("/hello", ex -> {
      log.info("handling hello");
      String answer;
      try {
        answer = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/backend")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        answer = "interrupted";
      }
      log.info("backend answered {}", answer);
      byte[] body = ("hello " + answer).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/backend", ex -> {
      log.warn("backend called");
      byte[] body = "from backend".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    // /hello waits for /backend on the same server: handlers need more than one thread.
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    System.out.println("READY " + port);
    System.out.flush();
  }
}
