package io.vigil.gateway;

import static org.awaitility.Awaitility.await;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * vigil-gateway in a child JVM ({@link VigilGateway#main} on this test's class path, so it runs
 * before the shaded jar is built), with its output in a file. Started with a config whose
 * admin server is at {@code admin}; {@link #start} returns once /health answers.
 */
final class GatewayProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final Process process;
  final Path output;
  private final String admin;

  private GatewayProcess(Process process, Path output, String admin) {
    this.process = process;
    this.output = output;
    this.admin = admin;
  }

  static GatewayProcess start(Path config, Path output, String admin, String... jvmArgs)
      throws IOException {
    return start(config, output, admin, Duration.ofSeconds(90), Duration.ofSeconds(5), jvmArgs);
  }

  /**
   * As above, waiting up to {@code startup} (several JVMs starting at once share the CPUs), with
   * {@code --shutdown-timeout} {@code drain}.
   */
  static GatewayProcess start(Path config, Path output, String admin, Duration startup,
      Duration drain, String... jvmArgs) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        VigilGateway.class.getName(), "--config", config.toString(),
        "--shutdown-timeout", drain.toSeconds() + "s"));
    Process p = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
        .start();
    GatewayProcess g = new GatewayProcess(p, output, admin);
    await().atMost(startup).ignoreExceptions().until(() -> {
      if (!p.isAlive()) {
        throw new AssertionError("gateway exited with " + p.exitValue() + ": "
            + Files.readString(output));
      }
      return g.get("/health").statusCode() == 200;
    });
    return g;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + admin + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The sum of a metric's samples whose labels contain every one of {@code labels}. */
  double metric(String name, String... labels) throws IOException, InterruptedException {
    String body = get("/metrics").body();
    double sum = 0;
    Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)} (\\S+)$").matcher(body);
    while (m.find()) {
      boolean all = true;
      for (String l : labels) {
        all &= m.group(1).contains(l);
      }
      if (all) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  /** Heap in use right after a full GC the JVM was asked for (jcmd GC.run). */
  long heapAfterGc() throws Exception {
    Process jcmd = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(process.pid()), "GC.run")
        .redirectErrorStream(true).start();
    jcmd.getInputStream().readAllBytes();
    if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      throw new AssertionError("jcmd GC.run failed");
    }
    return (long) metric("jvm_memory_used_bytes", "area=\"heap\"");
  }

  /** SIGKILL: no shutdown hook, no drain, no final fsync. */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("gateway did not die on SIGKILL");
    }
  }

  /** SIGTERM, the orderly shutdown; true if it exited in time. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
