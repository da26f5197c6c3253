package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.testing.FreePort;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the shaded jar the README tells users to run, with its built-in config (ports moved by
 * the config's own env vars), sends OTLP/JSON to it and reads its admin port: proves the
 * packaging (service files merged, nothing missing) as well as the defaults.
 */
class GatewayJarIT {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void builtInConfigServesOtlpAndAdmin() throws Exception {
    Path jar = Path.of("target", "vigil-gateway.jar");
    assertThat(jar).exists();
    String grpc = FreePort.endpoint();
    String httpEndpoint = FreePort.endpoint();
    String admin = FreePort.endpoint();
    File log = Files.createTempFile("vigil-gateway", ".log").toFile();
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-jar", jar.toString())
        .redirectErrorStream(true)
        .redirectOutput(log);
    pb.environment().put("VIGIL_OTLP_GRPC_ENDPOINT", grpc);
    pb.environment().put("VIGIL_OTLP_HTTP_ENDPOINT", httpEndpoint);
    pb.environment().put("VIGIL_ADMIN_ENDPOINT", admin);
    Process p = pb.start();
    try {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> get("http://" + admin + "/health").statusCode() == 200);

      String json = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":"
          + "{\"stringValue\":\"hello\"},\"traceId\":\"5b8efff798038103d269b633813fc60c\"}]}]}]}";
      HttpResponse<String> posted = http.send(HttpRequest.newBuilder(
              URI.create("http://" + httpEndpoint + "/v1/logs"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).as(Files.readString(log.toPath())).isEqualTo(200);

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(get("http://" + admin + "/metrics").body())
              .contains("otelcol_receiver_accepted_log_records_total{receiver=\"otlp\","
                  + "transport=\"http\"} 1.0"));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(Files.readString(log.toPath())).contains("logs: 1 log records"));
    } finally {
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }
    String output = Files.readString(log.toPath());
    assertThat(output).contains("Stopped");
    // Issue #17, defect 3: a drain that lost nothing is a clean exit, not 143 (128 + SIGTERM),
    // so Kubernetes and systemd see a rollout's stop as a success.
    assertThat(p.exitValue()).as(output).isZero();
  }
  /**
   * Issue #17, defect 3, the other half: when the drain runs into --shutdown-timeout and data is
   * dropped, SIGTERM ends with exit code 3 and the last log line gives the count.
   */
  @Test
  void sigtermWithUndeliverableDataExitsNonZeroWithTheCount() throws Exception {
    Path jar = Path.of("target", "vigil-gateway.jar");
    String httpEndpoint = FreePort.endpoint();
    String nobody = FreePort.endpoint(); // nothing listens there
    Path config = Files.createTempFile("vigil-drop", ".yaml");
    Files.writeString(config, String.join("\n",
        "receivers:",
        "  otlp: {protocols: {http: {endpoint: '" + httpEndpoint + "'}}}",
        "exporters:",
        "  otlp: {endpoint: '" + nobody + "', tls: {insecure: true},",
        "         retry_on_failure: {initial_interval: 100ms, max_elapsed_time: 0s}}",
        "service:",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines:",
        "    logs: {receivers: [otlp], exporters: [otlp]}"));
    File log = Files.createTempFile("vigil-gateway", ".log").toFile();
    Process p = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-jar", jar.toString(), "--config", config.toString(), "--shutdown-timeout", "1s")
        .redirectErrorStream(true)
        .redirectOutput(log)
        .start();
    try {
      String json = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":"
          + "{\"stringValue\":\"a\"}},{\"body\":{\"stringValue\":\"b\"}}]}]}]}";
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
          HttpRequest.newBuilder(URI.create("http://" + httpEndpoint + "/v1/logs"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    } finally {
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }
    String output = Files.readString(log.toPath());
    assertThat(p.exitValue()).as(output).isEqualTo(3);
    assertThat(output).contains("Stopped: 2 items were still queued or retrying");
  }
}
