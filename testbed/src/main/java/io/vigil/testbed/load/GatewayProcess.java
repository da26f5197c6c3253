package io.vigil.testbed.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway under test, run from its jar as users run it, optionally pinned to CPUs with
 * taskset so that "per core" means one core.
 */
public final class GatewayProcess implements AutoCloseable {

  private final Process process;
  private final int grpcPort;
  private final int httpPort;
  private final int adminPort;
  private final Path log;

  private GatewayProcess(Process process, int grpcPort, int httpPort, int adminPort, Path log) {
    this.process = process;
    this.grpcPort = grpcPort;
    this.httpPort = httpPort;
    this.adminPort = adminPort;
    this.log = log;
  }

  /**
   * Starts otlp receiver → [memory_limiter,] batch → otlp exporter to {@code sinkPort}.
   *
   * @param cpus taskset CPU list (e.g. "1"), or null to run unpinned
   */
  public static GatewayProcess start(Path jar, String heap, String javaOpts, String cpus, int sinkPort,
      String compression, boolean memoryLimiter, Path workDir) throws IOException, InterruptedException {
    return start(jar, heap, javaOpts, cpus, sinkPort, compression, memoryLimiter, workDir, "memory");
  }

  /**
   * As above; {@code queue} {@code durable} puts the exporter's queue on file_storage in
   * {@code workDir} with the queue's batching instead of the batch processor (what the docs
   * recommend for a durable queue), {@code memory} is the in-memory queue behind the batch
   * processor.
   */
  public static GatewayProcess start(Path jar, String heap, String javaOpts, String cpus, int sinkPort,
      String compression, boolean memoryLimiter, Path workDir, String queue)
      throws IOException, InterruptedException {
    return start(jar, heap, javaOpts, cpus, sinkPort, compression, memoryLimiter, workDir, queue,
        "200ms");
  }

  /**
   * As above, with the durable queue's (or the batch processor's) {@code flush_timeout} /
   * {@code timeout}: how long a batch waits to fill, which bounds latency below saturation.
   */
  public static GatewayProcess start(Path jar, String heap, String javaOpts, String cpus, int sinkPort,
      String compression, boolean memoryLimiter, Path workDir, String queue, String flushTimeout)
      throws IOException, InterruptedException {
    boolean durable = queue.equals("durable");
    int grpc = freePort();
    int http = freePort();
    int admin = freePort();
    String batch = durable ? "" : "batch";
    String processors = "[" + String.join(", ",
        java.util.stream.Stream.of(memoryLimiter ? "memory_limiter" : "", batch)
            .filter(x -> !x.isEmpty()).toList()) + "]";
    Path queueDir = workDir.resolve("queue");
    if (durable && Files.exists(queueDir)) {
      // A fresh queue per run: a backlog from an earlier run would be sent first.
      try (var files = Files.walk(queueDir)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
    Path config = workDir.resolve("gateway-bench.yaml");
    Files.createDirectories(workDir);
    Files.writeString(config, String.join("\n",
        durable ? "extensions: {file_storage: {directory: '" + queueDir + "'}}" : "",
        "receivers:",
        "  otlp:",
        "    protocols:",
        "      grpc: {endpoint: '127.0.0.1:" + grpc + "'}",
        "      http: {endpoint: '127.0.0.1:" + http + "'}",
        "processors:",
        "  memory_limiter: {check_interval: 100ms, limit_percentage: 75, spike_limit_percentage: 20}",
        "  batch: {send_batch_size: 8192, timeout: " + flushTimeout + "}",
        "exporters:",
        "  otlp:",
        "    endpoint: '127.0.0.1:" + sinkPort + "'",
        "    tls: {insecure: true}",
        "    compression: " + compression,
        durable
            ? "    sending_queue: {storage: file_storage, num_consumers: 4, queue_size: 1000000,"
                + " batch: {flush_timeout: " + flushTimeout + ", min_size: 8192, max_size: 16384}}"
            : "    sending_queue: {num_consumers: 4, queue_size: 100}",
        "service:",
        durable ? "  extensions: [file_storage]" : "",
        "  telemetry: {metrics: {address: '127.0.0.1:" + admin + "'}}",
        "  pipelines:",
        "    traces: {receivers: [otlp], processors: " + processors + ", exporters: [otlp]}",
        "    metrics: {receivers: [otlp], processors: " + processors + ", exporters: [otlp]}",
        "    logs: {receivers: [otlp], processors: " + processors + ", exporters: [otlp]}"));
    return launch(jar, heap, javaOpts, cpus, config, workDir.resolve("gateway-bench.log"), grpc,
        http, admin);
  }

  /** What a config written by the caller is given: the ports it must use. */
  public interface ConfigText {
    String yaml(int grpcPort, int httpPort, int adminPort);
  }

  /**
   * A gateway with the caller's config, as {@code workDir/NAME.yaml} (log {@code NAME.log}); the
   * config must put its admin server on the port it is given, which is polled until healthy.
   */
  public static GatewayProcess start(Path jar, String heap, String javaOpts, String cpus,
      Path workDir, String name, ConfigText config) throws IOException, InterruptedException {
    int grpc = freePort();
    int http = freePort();
    int admin = freePort();
    Files.createDirectories(workDir);
    Path file = Files.writeString(workDir.resolve(name + ".yaml"), config.yaml(grpc, http, admin));
    return launch(jar, heap, javaOpts, cpus, file, workDir.resolve(name + ".log"), grpc, http,
        admin);
  }

  private static GatewayProcess launch(Path jar, String heap, String javaOpts, String cpus,
      Path config, Path log, int grpc, int http, int admin)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (cpus != null) {
      cmd.addAll(List.of("taskset", "-c", cpus));
    }
    cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms" + heap, "-Xmx" + heap));
    if (!javaOpts.isBlank()) {
      cmd.addAll(List.of(javaOpts.trim().split("\\s+")));
    }
    if (!jar.toString().contains(java.io.File.pathSeparator)) {
      cmd.addAll(List.of("-jar", jar.toString()));
    } else {
      // A class path (the reactor's target/classes and their dependencies): no shaded jar to build.
      cmd.addAll(List.of("-cp", jar.toString(), "io.vigil.gateway.VigilGateway"));
    }
    cmd.addAll(List.of("--config", config.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    GatewayProcess g = new GatewayProcess(p, grpc, http, admin, log);
    try {
      g.awaitHealthy();
    } catch (IOException | RuntimeException e) {
      g.close(); // not left running when it never became healthy
      throw e;
    }
    return g;
  }

  private void awaitHealthy() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("gateway exited: " + Files.readString(log));
      }
      try {
        if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health"))
            .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new IOException("gateway not healthy within 180s: " + Files.readString(log));
  }

  /** The sum of a counter family on the gateway's /metrics, e.g. otelcol_receiver_refused_spans. */
  public double metric(String name) throws IOException, InterruptedException {
    String text = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:_total)?(?:\\{[^}]*\\})? (\\S+)$")
        .matcher(text);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  public long pid() {
    // Under taskset the JVM replaces taskset (exec), so the pid is the JVM's.
    return process.pid();
  }

  public int grpcPort() {
    return grpcPort;
  }

  public int httpPort() {
    return httpPort;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
