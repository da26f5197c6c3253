package io.vigil.exporter.incidents;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a free 127.0.0.1 port standing in for what a response action calls:
 * records each request's method, path and body, answers with a settable status, and can hold
 * requests until released (to see how many run at once).
 */
final class WebhookTarget implements AutoCloseable {

  record Request(String method, String path, String body) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  volatile int status = 200;
  volatile CountDownLatch hold = new CountDownLatch(0);
  private final HttpServer server;
  // Many threads, so the server never limits concurrency: the engine's cap must.
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "webhook-target");
    t.setDaemon(true);
    return t;
  });

  WebhookTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(threads);
    server.createContext("/", ex -> {
      try (ex) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
          requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(),
              new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          hold.await(30, TimeUnit.SECONDS);
          byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, body.length);
          ex.getResponseBody().write(body);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          inFlight.decrementAndGet();
        }
      }
    });
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    hold.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
