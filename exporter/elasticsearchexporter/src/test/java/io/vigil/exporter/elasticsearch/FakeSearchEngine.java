package io.vigil.exporter.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * An HTTP server that answers like Elasticsearch or OpenSearch for what the exporter calls:
 * {@code GET /}, index templates, ILM/ISM policies and {@code _bulk}, whose per-item answer
 * a test chooses. It records every request, and stores indexed documents by _id.
 */
final class FakeSearchEngine implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request seen: method, path, headers of interest, and the (gunzipped) body. */
  record Request(String method, String path, String contentEncoding, String authorization,
      byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** One bulk document seen: the _id, the index, and its source. */
  record Doc(String index, String id, JsonNode source) {}

  /** A per-item answer: status, and the error type and reason when it is a failure. */
  record ItemAnswer(int status, String errorType, String reason) {
    static ItemAnswer created() {
      return new ItemAnswer(201, null, null);
    }
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();
  /** Every document of every bulk request, in order, including repeats. */
  final List<Doc> bulkDocs = new CopyOnWriteArrayList<>();
  final Map<String, Doc> indexed = new ConcurrentHashMap<>();
  final Map<String, JsonNode> templates = new ConcurrentHashMap<>();
  final Map<String, JsonNode> policies = new ConcurrentHashMap<>();
  private final String distribution;
  private final HttpServer server;
  /** Chooses the answer for a document the first time and each later time it is sent. */
  volatile Function<Doc, ItemAnswer> bulkAnswer = d -> ItemAnswer.created();
  /** When non-zero, every request is answered with this status (e.g. 503). */
  volatile int everything;

  FakeSearchEngine(String distribution) throws IOException {
    this(distribution, null);
  }

  /** Over HTTPS with {@code tls} when it is not null. */
  FakeSearchEngine(String distribution, javax.net.ssl.SSLContext tls) throws IOException {
    this(distribution, tls, false);
  }

  /**
   * Over HTTPS with {@code tls}; with {@code requireClientCertificate}, a client without a
   * certificate that {@code tls} trusts fails the handshake (mutual TLS).
   */
  FakeSearchEngine(String distribution, javax.net.ssl.SSLContext tls,
      boolean requireClientCertificate) throws IOException {
    this.distribution = distribution;
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      server = HttpServer.create(address, 16);
    } else {
      com.sun.net.httpserver.HttpsServer https =
          com.sun.net.httpserver.HttpsServer.create(address, 16);
      https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls) {
        @Override
        public void configure(com.sun.net.httpserver.HttpsParameters params) {
          javax.net.ssl.SSLParameters p = tls.getDefaultSSLParameters();
          p.setNeedClientAuth(requireClientCertificate);
          params.setSSLParameters(p);
        }
      });
      server = https;
    }
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return (server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http")
        + "://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Request> bulkRequests() {
    return requests.stream().filter(r -> r.path().startsWith("/_bulk")).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] raw = ex.getRequestBody().readAllBytes();
    String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
    byte[] body = "gzip".equals(enc) ? gunzip(raw) : raw;
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    requests.add(new Request(method, path, enc,
        ex.getRequestHeaders().getFirst("Authorization"), body));
    if (everything != 0) {
      answer(ex, everything, "{\"error\":\"unavailable\",\"status\":" + everything + "}");
      return;
    }
    if (path.equals("/") && method.equals("GET")) {
      answer(ex, 200, "{\"version\":{\"distribution\":\"" + distribution
          + "\",\"number\":\"2.19.1\"},\"tagline\":\"fake\"}");
    } else if (path.startsWith("/_index_template/") && method.equals("PUT")) {
      templates.put(path.substring("/_index_template/".length()), JSON.readTree(body));
      answer(ex, 200, "{\"acknowledged\":true}");
    } else if (path.startsWith("/_ilm/policy/") && distribution.equals("elasticsearch")) {
      policies.put(path.substring("/_ilm/policy/".length()), JSON.readTree(body));
      answer(ex, 200, "{\"acknowledged\":true}");
    } else if (path.startsWith("/_plugins/_ism/policies/") && distribution.equals("opensearch")) {
      String name = path.substring("/_plugins/_ism/policies/".length());
      if (method.equals("GET")) {
        JsonNode p = policies.get(name);
        answer(ex, p == null ? 404 : 200, p == null ? "{\"error\":\"not found\"}"
            : "{\"_id\":\"" + name + "\",\"_seq_no\":3,\"_primary_term\":1,\"policy\":" + p + "}");
      } else {
        policies.put(name, JSON.readTree(body));
        answer(ex, 201, "{\"_id\":\"" + name + "\"}");
      }
    } else if (path.equals("/_bulk") && method.equals("POST")) {
      answer(ex, 200, bulk(new String(body, StandardCharsets.UTF_8)));
    } else {
      answer(ex, 400, "{\"error\":\"no handler found for uri [" + path + "] and method ["
          + method + "]\"}");
    }
  }

  private String bulk(String ndjson) throws IOException {
    String[] lines = ndjson.split("\n");
    ObjectNode resp = JsonNodeFactory.instance.objectNode();
    ArrayNode items = resp.putArray("items");
    boolean errors = false;
    List<Doc> docs = new ArrayList<>();
    for (int i = 0; i + 1 < lines.length; i += 2) {
      JsonNode action = JSON.readTree(lines[i]).get("create");
      docs.add(new Doc(action.get("_index").asText(), action.get("_id").asText(),
          JSON.readTree(lines[i + 1])));
    }
    for (Doc d : docs) {
      bulkDocs.add(d);
      ItemAnswer a = indexed.containsKey(d.id())
          ? new ItemAnswer(409, "version_conflict_engine_exception",
              "[" + d.id() + "]: version conflict, document already exists")
          : bulkAnswer.apply(d);
      ObjectNode item = items.addObject().putObject("create");
      item.put("_index", d.index());
      item.put("_id", d.id());
      item.put("status", a.status());
      if (a.errorType() != null) {
        errors = true;
        item.putObject("error").put("type", a.errorType()).put("reason", a.reason());
      } else {
        indexed.put(d.id(), d);
      }
    }
    resp.put("errors", errors);
    resp.put("took", 1);
    return resp.toString();
  }

  private static void answer(HttpExchange ex, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  private static byte[] gunzip(byte[] b) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
      return in.readAllBytes();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
