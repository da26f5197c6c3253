package io.vigil.exporter.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.config.tls.JdkHttpServers;
import io.vigil.config.tls.ServerTls;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP endpoint Prometheus scrapes: {@code GET /metrics}, in the format the Accept header
 * asks for (OpenMetrics, which carries exemplars, when the scraper offers it; else the
 * Prometheus text format), gzip-compressed when the scraper accepts gzip.
 */
final class ScrapeEndpoint {

  private final InetSocketAddress address;
  private final Supplier<MetricSnapshots> snapshots;
  // Text formats only: the protobuf writer needs a dependency this exporter does not bring.
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final ServerTls tls;
  private HttpServer server;
  private ExecutorService executor;

  /** @param tls null: plain HTTP */
  ScrapeEndpoint(InetSocketAddress address, Supplier<MetricSnapshots> snapshots, ServerTls tls) {
    this.address = address;
    this.snapshots = snapshots;
    this.tls = tls;
  }

  void start() throws IOException {
    server = JdkHttpServers.create(address, 16, tls);
    executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "vigil-prometheus-scrape-" + address.getPort());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The bound address: the configured one, with the real port when port 0 was asked for. */
  InetSocketAddress address() {
    return server.getAddress();
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
      if (!ex.getRequestURI().getPath().equals("/metrics")) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      ExpositionFormatWriter writer = writerFor(ex.getRequestHeaders().getFirst("Accept"));
      ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
      writer.write(body, snapshots.get());
      byte[] bytes = body.toByteArray();
      String encoding = ex.getRequestHeaders().getFirst("Accept-Encoding");
      if (encoding != null && encoding.contains("gzip")) {
        ByteArrayOutputStream gz = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (OutputStream out = new GZIPOutputStream(gz)) {
          out.write(bytes);
        }
        bytes = gz.toByteArray();
        ex.getResponseHeaders().set("Content-Encoding", "gzip");
      }
      ex.getResponseHeaders().set("Content-Type", writer.getContentType());
      if (method.equals("HEAD")) {
        ex.sendResponseHeaders(200, -1);
        return;
      }
      ex.sendResponseHeaders(200, bytes.length);
      ex.getResponseBody().write(bytes);
    }
  }

  private ExpositionFormatWriter writerFor(String accept) {
    ExpositionFormatWriter w = formats.findWriter(accept);
    // findWriter falls back to protobuf only when asked for it; without the protobuf module
    // on the class path that writer cannot write, so the scraper gets text instead.
    return w.isAvailable() ? w : formats.getPrometheusTextFormatWriter();
  }
}
