package io.vigil.agent;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** {@link DemoApp} in a child JVM under vigil-agent, with its stdout kept line by line. */
final class DemoProcess implements AutoCloseable {

  final List<String> lines = new CopyOnWriteArrayList<>();
  private final Process process;
  private final int port;

  private DemoProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("READER FAILED " + e);
      }
    }, "demo-stdout");
    reader.setDaemon(true);
    reader.start();
    await().atMost(Duration.ofSeconds(90))
        .until(() -> lines.stream().anyMatch(l -> l.startsWith("READY ")) || !process.isAlive());
    this.port = lines.stream().filter(l -> l.startsWith("READY ")).findFirst()
        .map(l -> Integer.parseInt(l.substring(6).trim()))
        .orElseThrow(() -> new AssertionError("demo app did not start:\n" + String.join("\n", lines)));
  }

  /**
   * Starts the app with only the agent flag, the given system properties and environment.
   * The class path is the app's own: its classes, logback and slf4j.
   */
  static DemoProcess start(Path java, Path agentJar, List<String> sysProps, Map<String, String> env)
      throws IOException {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> p.contains("test-classes") || p.contains("logback") || p.contains("slf4j"))
        .collect(Collectors.joining(File.pathSeparator));
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.add("-javaagent:" + agentJar);
    cmd.addAll(sysProps);
    cmd.add("-Dlogback.configurationFile=" + Path.of("target", "test-classes", "demo-logback.xml")
        .toAbsolutePath());
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(DemoApp.class.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("K8S_")
        || k.equals("HOST_IP") || k.startsWith("VIGIL_") || k.equals("JAVA_TOOL_OPTIONS"));
    pb.environment().putAll(env);
    return new DemoProcess(pb.start());
  }

  String get(String path) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(15)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  String output() {
    return String.join("\n", lines);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
