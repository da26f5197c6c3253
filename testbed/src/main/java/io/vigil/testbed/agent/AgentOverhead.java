package io.vigil.testbed.agent;

import io.vigil.testbed.load.OtlpSink;
import io.vigil.testbed.load.ProcessStats;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What an agent costs a service: the demo's inventory service (Spring Boot, Tomcat, H2 over
 * JDBC) run without an agent, with the upstream OpenTelemetry agent and with vigil-agent, under
 * the same closed-loop load, in rounds that alternate the three so drift hits them alike.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "Agent overhead: no agent vs upstream OpenTelemetry agent vs vigil-agent.")
public final class AgentOverhead implements Callable<Integer> {

  @Option(names = "--service-jar", defaultValue = "demo/services/target/vigil-demo-services-exec.jar")
  Path serviceJar;

  @Option(names = "--upstream-agent", defaultValue = "agent/target/parts/upstream-agent.jar")
  Path upstreamAgent;

  @Option(names = "--vigil-agent", defaultValue = "agent/target/vigil-agent.jar")
  Path vigilAgent;

  @Option(names = "--rounds", defaultValue = "2")
  int rounds;

  @Option(names = "--warmup", defaultValue = "20", description = "Seconds of load before measuring.")
  int warmup;

  @Option(names = "--duration", defaultValue = "30", description = "Measured seconds.")
  int seconds;

  @Option(names = "--clients", defaultValue = "8", description = "Concurrent closed-loop clients.")
  int clients;

  @Option(names = "--service-cpus", defaultValue = "1", description = "taskset CPU list for the service.")
  String serviceCpus;

  @Option(names = "--work-dir", defaultValue = "benchmarks/target/agent")
  Path workDir;

  /** One run's measurements. */
  record Result(double startSeconds, double requestsPerSecond, double p50, double p95, double p99,
      double heapMib, double rssMib, long errors) {}

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(workDir);
    Map<String, Path> modes = new LinkedHashMap<>();
    modes.put("no agent", null);
    modes.put("upstream OpenTelemetry agent 2.31.1", upstreamAgent);
    modes.put("vigil-agent", vigilAgent);
    Map<String, List<Result>> results = new LinkedHashMap<>();
    try (OtlpSink sink = new OtlpSink()) {
      for (int r = 0; r < rounds; r++) {
        for (Map.Entry<String, Path> mode : modes.entrySet()) {
          Result res = measure(mode.getValue(), sink.port(), mode.getKey() + "-" + r);
          System.out.printf(Locale.ROOT, "round %d %-36s %s%n", r + 1, mode.getKey(), res);
          results.computeIfAbsent(mode.getKey(), k -> new ArrayList<>()).add(res);
        }
      }
    }
    Result base = median(results.get("no agent"));
    System.out.printf(Locale.ROOT, "%n| | start-up (s) | requests/s | p50 (ms) | p95 (ms) | p99 (ms) | heap after GC (MiB) | peak RSS (MiB) |%n");
    System.out.printf("|---|---|---|---|---|---|---|---|%n");
    for (Map.Entry<String, List<Result>> e : results.entrySet()) {
      Result m = median(e.getValue());
      System.out.printf(Locale.ROOT, "| %s | %.2f (%.2f×) | %.0f (%.2f×) | %.2f (%.2f×) | %.2f (%.2f×) | %.2f (%.2f×) | %.0f (%.2f×) | %.0f (%.2f×) |%n",
          e.getKey(), m.startSeconds, m.startSeconds / base.startSeconds,
          m.requestsPerSecond, m.requestsPerSecond / base.requestsPerSecond,
          m.p50, m.p50 / base.p50, m.p95, m.p95 / base.p95, m.p99, m.p99 / base.p99,
          m.heapMib, m.heapMib / base.heapMib, m.rssMib, m.rssMib / base.rssMib);
    }
    return 0;
  }

  private static Result median(List<Result> rs) {
    return new Result(med(rs, Result::startSeconds), med(rs, Result::requestsPerSecond),
        med(rs, Result::p50), med(rs, Result::p95), med(rs, Result::p99), med(rs, Result::heapMib),
        med(rs, Result::rssMib), (long) med(rs, r -> r.errors));
  }

  private static double med(List<Result> rs, java.util.function.ToDoubleFunction<Result> f) {
    double[] v = rs.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private Result measure(Path agent, int sinkPort, String name) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> cmd = new ArrayList<>(List.of("taskset", "-c", serviceCpus,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms256m", "-Xmx256m"));
    if (agent != null) {
      cmd.add("-javaagent:" + agent.toAbsolutePath());
      cmd.add("-Dotel.service.name=inventory");
      // Both agents ship to the same place the same way.
      cmd.add("-Dotel.exporter.otlp.protocol=grpc");
      cmd.add("-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + sinkPort);
    }
    cmd.addAll(List.of("-jar", serviceJar.toAbsolutePath().toString(), "--server.address=127.0.0.1",
        "--server.port=" + port, "--vigil.demo.role=inventory"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(workDir.resolve(name.replaceAll("[^a-zA-Z0-9.-]", "_") + ".log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.equals("JAVA_TOOL_OPTIONS"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI base = URI.create("http://127.0.0.1:" + port);
    long started = System.nanoTime();
    Process p = pb.start();
    try {
      awaitHealthy(http, base.resolve("/admin/health"), p);
      double startSeconds = (System.nanoTime() - started) / 1e9;
      load(http, base, Duration.ofSeconds(warmup), null, null);
      Recorder latency = new Recorder(60_000_000L, 3);
      LongAdder errors = new LongAdder();
      long t0 = System.nanoTime();
      long done = load(http, base, Duration.ofSeconds(seconds), latency, errors);
      double elapsed = (System.nanoTime() - t0) / 1e9;
      Histogram h = latency.getIntervalHistogram();
      return new Result(startSeconds, done / elapsed, h.getValueAtPercentile(50) / 1000.0,
          h.getValueAtPercentile(95) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
          heapAfterGcMib(p.pid()), ProcessStats.peakRssMib(p.pid()), errors.sum());
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static void awaitHealthy(HttpClient http, URI health, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("service exited with " + p.exitValue());
      }
      try {
        if (http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new IOException("service not healthy within 180s");
  }

  /** Closed loop: each client sends its next request when the last one answered. */
  private long load(HttpClient http, URI base, Duration d, Recorder latency, LongAdder errors)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    LongAdder done = new LongAdder();
    List<Thread> threads = new ArrayList<>();
    HttpRequest stock = HttpRequest.newBuilder(base.resolve("/api/stock")).timeout(Duration.ofSeconds(10)).build();
    HttpRequest reserve = HttpRequest.newBuilder(base.resolve("/api/reserve"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"mug\",\"qty\":1}")).build();
    for (int i = 0; i < clients; i++) {
      Thread t = new Thread(() -> {
        long n = 0;
        while (!stop.get()) {
          long s = System.nanoTime();
          try {
            HttpResponse<Void> r = http.send(n++ % 2 == 0 ? stock : reserve,
                HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200 && errors != null) {
              errors.increment();
            }
          } catch (IOException e) {
            if (errors != null) {
              errors.increment();
            }
          } catch (InterruptedException e) {
            return;
          }
          if (latency != null) {
            latency.recordValue(Math.min((System.nanoTime() - s) / 1000, 60_000_000L));
          }
          done.increment();
        }
      });
      t.start();
      threads.add(t);
    }
    TimeUnit.NANOSECONDS.sleep(d.toNanos());
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    return done.sum();
  }

  /** Heap in use after a full GC, from jcmd and jstat (any collector). */
  private static double heapAfterGcMib(long pid) throws IOException, InterruptedException {
    Path bin = Path.of(System.getProperty("java.home"), "bin");
    new ProcessBuilder(bin.resolve("jcmd").toString(), String.valueOf(pid), "GC.run")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    Process jstat = new ProcessBuilder(bin.resolve("jstat").toString(), "-gc", String.valueOf(pid))
        .redirectErrorStream(true).start();
    List<String> lines = new String(jstat.getInputStream().readAllBytes()).lines().toList();
    jstat.waitFor();
    if (lines.size() < 2) {
      return -1;
    }
    String[] head = lines.get(0).trim().split("\\s+");
    String[] vals = lines.get(1).trim().split("\\s+");
    double kib = 0;
    for (int i = 0; i < head.length && i < vals.length; i++) {
      if (List.of("S0U", "S1U", "EU", "OU").contains(head[i])) {
        kib += Double.parseDouble(vals[i]);
      }
    }
    return kib / 1024;
  }
}
