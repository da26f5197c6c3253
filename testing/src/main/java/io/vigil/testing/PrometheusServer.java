package io.vigil.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (the Debian package's binary) run as a child process on 127.0.0.1 with
 * exemplar storage and the remote-write receiver on, scraping the given targets every second.
 * Tests that need one skip when {@link #binary()} is null (CI installs Debian's package).
 */
public final class PrometheusServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ChildServer child;
  private final String base;
  private final HttpClient http;

  private PrometheusServer(ChildServer child) {
    this.child = child;
    this.base = child.base();
    this.http = child.http();
  }

  /** The prometheus binary on PATH, or null. */
  public static Path binary() {
    return ChildServer.binary("prometheus");
  }

  public static PrometheusServer start(Path dir, List<String> scrapeTargets) throws IOException {
    return start(dir, scrapeTargets, List.of());
  }

  /**
   * Scrapes {@code target} over HTTPS, trusting {@code caFile} and, when {@code certFile} is not
   * null, presenting that client certificate (Prometheus' {@code tls_config}).
   */
  public static PrometheusServer startScrapingTls(Path dir, String target, Path caFile,
      Path certFile, Path keyFile) throws IOException {
    List<String> tls = new java.util.ArrayList<>(List.of(
        "    scheme: https",
        "    tls_config:",
        "      ca_file: " + caFile));
    if (certFile != null) {
      tls.add("      cert_file: " + certFile);
      tls.add("      key_file: " + keyFile);
    }
    return start(dir, List.of(target), tls);
  }

  private static PrometheusServer start(Path dir, List<String> scrapeTargets,
      List<String> scrapeOptions) throws IOException {
    int port = FreePort.pick();
    Path config = dir.resolve("prometheus.yml");
    StringBuilder targets = new StringBuilder();
    for (String t : scrapeTargets) {
      targets.append(targets.length() == 0 ? "" : ", ").append('\'').append(t).append('\'');
    }
    List<String> lines = new java.util.ArrayList<>(List.of(
        "global:",
        "  scrape_interval: 1s",
        "  evaluation_interval: 1s",
        "scrape_configs:",
        "  - job_name: vigil",
        // honor_labels keeps the job/instance the gateway derives from service.name and
        // service.instance.id, as the collector's docs advise for its prometheus exporter.
        "    honor_labels: true"));
    lines.addAll(scrapeOptions);
    lines.addAll(List.of(
        "    static_configs:",
        "      - targets: [" + targets + "]",
        ""));
    Files.writeString(config, String.join("\n", lines));
    return new PrometheusServer(ChildServer.start(List.of(binary().toString(),
        "--config.file=" + config,
        "--web.listen-address=127.0.0.1:" + port,
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--enable-feature=exemplar-storage",
        "--web.enable-remote-write-receiver"),
        dir.resolve("prometheus.log"), "http://127.0.0.1:" + port));
  }

  /** The HTTP API's base URL, e.g. {@code http://127.0.0.1:9090}. */
  public String baseUrl() {
    return base;
  }

  public String remoteWriteUrl() {
    return base + "/api/v1/write";
  }

  public String log() {
    return child.log();
  }

  /** /api/v1/query: the result vector. */
  public JsonNode query(String promql) throws IOException, InterruptedException {
    return get("/api/v1/query?query=" + enc(promql)).get("data").get("result");
  }

  /** The single value of an instant query, or NaN when it returns no series. */
  public double value(String promql) throws IOException, InterruptedException {
    JsonNode r = query(promql);
    return r.isEmpty() ? Double.NaN : Double.parseDouble(r.get(0).get("value").get(1).asText());
  }

  /** /api/v1/query_exemplars over the last ten minutes. */
  public JsonNode exemplars(String promql) throws IOException, InterruptedException {
    Instant now = Instant.now();
    return get("/api/v1/query_exemplars?query=" + enc(promql)
        + "&start=" + now.minusSeconds(600).getEpochSecond()
        + "&end=" + now.plusSeconds(60).getEpochSecond()).get("data");
  }

  private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("HTTP " + r.statusCode() + " for " + pathAndQuery + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    child.close();
  }
}
