package io.vigil.gateway;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.config.tls.JdkHttpServers;
import io.vigil.config.tls.ServerTls;
import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.HostPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The gateway's admin port: {@code /metrics} (its own metrics, Prometheus text or OpenMetrics
 * by content negotiation) and {@code /health} (200 while the pipelines run, 503 otherwise, for
 * Kubernetes probes).
 */
final class AdminServer implements AutoCloseable {

  static final String KEY = "service::telemetry::metrics::address";
  static final String TLS_KEY = "service::telemetry::metrics::tls";

  private final HttpServer server;
  private final ExecutorService executor;
  private final ServerTls tls;

  private AdminServer(HttpServer server, ExecutorService executor, ServerTls tls) {
    this.server = server;
    this.executor = executor;
    this.tls = tls;
  }

  /**
   * The {@code tls} block under {@link #TLS_KEY}, checked (files readable, versions known), or
   * null when absent.
   */
  static TlsServerSettings tlsSettings(Map<String, Object> raw) {
    if (raw == null) {
      return null;
    }
    TlsServerSettings settings;
    try {
      settings = ConfigLoader.configBinder().convertValue(raw, TlsServerSettings.class);
    } catch (IllegalArgumentException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String message = cause instanceof JsonMappingException m ? m.getOriginalMessage()
          : cause.getMessage();
      throw new ConfigException(TLS_KEY, message);
    }
    settings.validate(TLS_KEY);
    return settings;
  }

  /**
   * Binds and starts, HTTPS when {@code tls} is set (null: HTTP); a bad or busy address is a
   * config error on {@link #KEY}.
   */
  static AdminServer start(String address, TlsServerSettings tls, PrometheusRegistry registry,
      BooleanSupplier healthy) {
    InetSocketAddress bind = HostPort.parse(address, KEY);
    ServerTls serverTls = tls == null ? null : tls.load(TLS_KEY);
    HttpServer server;
    try {
      server = JdkHttpServers.create(bind, 16, serverTls);
    } catch (BindException e) {
      throw new ConfigException(KEY, "cannot listen on " + address + ": address already in use");
    } catch (IOException e) {
      throw new ConfigException(KEY, "cannot listen on " + address + ": " + e.getMessage());
    }
    ExpositionFormats formats = ExpositionFormats.init();
    server.createContext("/metrics", ex -> metrics(ex, registry, formats));
    server.createContext("/health", ex -> health(ex, healthy));
    ExecutorService executor =
        Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "vigil-admin");
          t.setDaemon(true);
          return t;
        });
    server.setExecutor(executor);
    server.start();
    return new AdminServer(server, executor, serverTls);
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void metrics(HttpExchange ex, PrometheusRegistry registry, ExpositionFormats f)
      throws IOException {
    try (ex) {
      ExpositionFormatWriter writer = f.findWriter(ex.getRequestHeaders().getFirst("Accept"));
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      writer.write(body, registry.scrape());
      ex.getResponseHeaders().set("Content-Type", writer.getContentType());
      send(ex, 200, body.toByteArray());
    }
  }

  private static void health(HttpExchange ex, BooleanSupplier healthy) throws IOException {
    try (ex) {
      boolean ok = healthy.getAsBoolean();
      ex.getResponseHeaders().set("Content-Type", "application/json");
      send(ex, ok ? 200 : 503,
          ("{\"status\":\"" + (ok ? "Server available" : "Server not available") + "\"}")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    if (tls != null) {
      tls.close();
    }
  }
}
