package io.vigil.receiver.alertmanager;

import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.TimeUnit;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}) run as a child process on
 * 127.0.0.1, clustering off, routing every alert to one webhook with {@code send_resolved} and
 * one-second grouping, so a test sees a notification within seconds.
 */
final class AlertmanagerServer implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final String base;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private AlertmanagerServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.base = "http://127.0.0.1:" + port;
  }

  /** The binary on PATH ({@code alertmanager} upstream, {@code prometheus-alertmanager} on Debian), or null. */
  static Path binary() {
    String path = System.getenv("PATH");
    for (String name : new String[] {"alertmanager", "prometheus-alertmanager"}) {
      for (String dir : (path == null ? "/usr/bin" : path).split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
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
    Path log = dir.resolve("alertmanager.log");
    Process p = new ProcessBuilder(binary().toString(),
        "--config.file=" + config,
        "--storage.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        // Empty: no gossip port, so nothing listens beyond the API.
        "--cluster.listen-address=")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    AlertmanagerServer server = new AlertmanagerServer(p, log, port);
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            if (!p.isAlive()) {
              throw new IllegalStateException("alertmanager exited: " + server.log());
            }
            return server.ready();
          });
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
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
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private boolean ready() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
