package io.vigil.receiver.alertmanager;

import static org.awaitility.Awaitility.await;

import io.vigil.testing.ChildServer;
import io.vigil.testing.FreePort;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}) run as a child process on
 * 127.0.0.1, clustering off, routing every alert to one webhook with {@code send_resolved} and
 * one-second grouping, so a test sees a notification within seconds.
 */
final class AlertmanagerServer implements AutoCloseable {

  private final ChildServer child;
  private final String base;
  private final HttpClient http;

  private AlertmanagerServer(ChildServer child) {
    this.child = child;
    this.base = child.base();
    this.http = child.http();
  }

  /** The binary on PATH ({@code alertmanager} upstream, {@code prometheus-alertmanager} on Debian), or null. */
  static Path binary() {
    return ChildServer.binary("alertmanager", "prometheus-alertmanager");
  }

  static AlertmanagerServer start(Path dir, String webhookUrl, String token) throws IOException {
    int port = FreePort.pick();
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(config, String.join("\n",
        "route:",
        "  receiver: vigil",
        "  group_by: [alertname]",
        "  group_wait: 1s",
        "  group_interval: 1s",
        "  repeat_interval: 1h",
        "receivers:",
        "  - name: vigil",
        "    webhook_configs:",
        "      - url: " + webhookUrl,
        "        send_resolved: true",
        "        http_config:",
        "          authorization:",
        "            credentials: " + token,
        ""));
    return new AlertmanagerServer(ChildServer.start(List.of(binary().toString(),
        "--config.file=" + config,
        "--storage.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        // Empty: no gossip port, so nothing listens beyond the API.
        "--cluster.listen-address="),
        dir.resolve("alertmanager.log"), "http://127.0.0.1:" + port));
  }

  /** POSTs alerts (a JSON array) to the v2 API, as Prometheus does. */
  void postAlerts(String json) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v2/alerts"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("alertmanager refused the alerts: HTTP " + r.statusCode()
          + " " + r.body());
    }
  }

  String log() {
    return child.log();
  }

  @Override
  public void close() {
    child.close();
  }
}
