package io.vigil.exporter.elasticsearch;

import io.vigil.config.tls.ClientTls;
import io.vigil.config.tls.JdkHttpClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * HTTP to the search engine with the JDK client: requests go round-robin over the configured
 * nodes, carry the configured authentication, and bodies are gzipped when asked.
 */
final class SearchEngineHttp {

  /** An answer: status, body, the Retry-After header if any, and which URL answered. */
  record Response(int status, byte[] body, String retryAfter, String url) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    String text() {
      String t = new String(body, StandardCharsets.UTF_8).strip();
      return t.length() > 512 ? t.substring(0, 512) + "..." : t;
    }
  }

  private final List<String> endpoints;
  private final String authorization;
  private final boolean gzip;
  private final HttpClient client;
  private final ClientTls tls;
  private final AtomicInteger next = new AtomicInteger();

  SearchEngineHttp(ElasticsearchExporterConfig c) {
    this.endpoints = c.allEndpoints();
    this.authorization = authorization(c);
    this.gzip = "gzip".equals(c.compression);
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(c.timeout)
        .version(HttpClient.Version.HTTP_1_1);
    // For https:// endpoints only: the CA (else the JVM's trust store) and the client
    // certificate, both followed on reload.
    this.tls = JdkHttpClients.configure(b, c.tls, "tls");
    this.client = b.build();
  }

  static String authorization(ElasticsearchExporterConfig a) {
    if (!a.apiKey.isEmpty()) {
      return "ApiKey " + a.apiKey;
    }
    if (!a.user.isEmpty()) {
      return "Basic " + Base64.getEncoder().encodeToString(
          (a.user + ":" + a.password).getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }

  /** Stops the TLS files' reload checks. */
  void close() {
    tls.close();
  }

  /**
   * Sends one request to the next node. {@code body} null sends none; a JSON or NDJSON body
   * is gzipped when compression is on.
   */
  CompletableFuture<Response> send(String method, String path, byte[] body, String contentType,
      Duration timeout) {
    String base = endpoints.get(Math.floorMod(next.getAndIncrement(), endpoints.size()));
    String url = base + path;
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
        .header("Accept", "application/json");
    if (authorization != null) {
      req.header("Authorization", authorization);
    }
    if (body == null) {
      req.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      req.header("Content-Type", contentType);
      byte[] payload = body;
      if (gzip) {
        payload = gzip(body);
        req.header("Content-Encoding", "gzip");
      }
      req.method(method, HttpRequest.BodyPublishers.ofByteArray(payload));
    }
    return client.sendAsync(req.build(), HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(r -> new Response(r.statusCode(), r.body(),
            r.headers().firstValue("Retry-After").orElse(null), url));
  }

  CompletableFuture<Response> json(String method, String path, byte[] json, Duration timeout) {
    return send(method, path, json, "application/json", timeout);
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
