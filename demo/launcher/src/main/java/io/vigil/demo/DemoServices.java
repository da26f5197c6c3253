package io.vigil.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo services as child processes under vigil-agent: started together, restarted one at a
 * time on request (the launcher's control endpoint, which a response rule calls for a memory
 * leak), stopped together.
 */
final class DemoServices {

  static final Duration SERVICE_START = Duration.ofSeconds(180);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  /** What a restart did: the process replaced, its successor, and how long until it was healthy. */
  record Restart(String service, long oldPid, long pid, Duration took) {}

  private final DemoLayout layout;
  private final DemoPorts ports;
  private final Path workDir;
  private final Map<String, ChildProcess> running = new ConcurrentHashMap<>();
  private volatile boolean stopping;

  DemoServices(DemoLayout layout, DemoPorts ports, Path workDir) {
    this.layout = layout;
    this.ports = ports;
    this.workDir = workDir;
  }

  /** Starts the given roles and waits until each answers its health check. */
  void start(Collection<String> roles) {
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    for (String role : roles) {
      ChildProcess p = launch(role, false);
      running.put(role, p);
      ready.add(CompletableFuture.runAsync(() -> awaitHealthy(p)));
    }
    CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
  }

  /**
   * Stops the service (politely, then by force) and starts it again with the same command,
   * returning once the new process is healthy. One restart at a time.
   *
   * @throws IllegalArgumentException for a service the demo does not run
   * @throws IllegalStateException when the demo is stopping or the service does not come back
   */
  synchronized Restart restart(String role) throws InterruptedException {
    ChildProcess old = running.get(role);
    if (old == null) {
      throw new IllegalArgumentException("no demo service named '" + role + "'; the demo runs "
          + String.join(", ", running.keySet()));
    }
    if (stopping) {
      throw new IllegalStateException("the demo is stopping");
    }
    long start = System.nanoTime();
    old.stop(STOP_GRACE);
    // The same log file, appended: the restart shows in one place with what led to it.
    ChildProcess p = launch(role, true);
    running.put(role, p);
    if (stopping) {
      p.stop(STOP_GRACE);
      throw new IllegalStateException("the demo is stopping");
    }
    awaitHealthy(p);
    return new Restart(role, old.pid(), p.pid(), Duration.ofNanos(System.nanoTime() - start));
  }

  ChildProcess process(String role) {
    return running.get(role);
  }

  /** Stops every service at once, so each one's agent flushes its last telemetry. */
  void stopAll() throws InterruptedException {
    stopping = true;
    List<Thread> stoppers = new ArrayList<>();
    for (ChildProcess p : running.values()) {
      Thread t = new Thread(() -> {
        try {
          p.stop(STOP_GRACE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "stop-" + p.name());
      t.start();
      stoppers.add(t);
    }
    for (Thread t : stoppers) {
      t.join();
    }
  }

  private ChildProcess launch(String role, boolean appendLog) {
    try {
      return ChildProcess.start(role, command(role), Map.of(),
          workDir.resolve("logs/" + role + ".log"), null, appendLog);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + role + ": " + e.getMessage(), e);
    }
  }

  private void awaitHealthy(ChildProcess p) {
    URI health = URI.create("http://127.0.0.1:" + ports.services().get(p.name())
        + "/admin/health");
    try {
      p.awaitHealthy(health, SERVICE_START);
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  List<String> command(String role) {
    Map<String, String> urls = new LinkedHashMap<>();
    ports.services().forEach((name, port) -> urls.put(name, "http://127.0.0.1:" + port));
    return List.of(layout.java().toString(),
        "-javaagent:" + layout.agentJar(),
        // Small and quick to start: five JVMs share the machine with the traffic.
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dotel.service.name=" + role,
        "-Dotel.resource.attributes=service.namespace=vigil-demo,deployment.environment.name=demo",
        "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + ports.otlpHttp(),
        "-Dotel.metric.export.interval=10000",
        "-Dotel.bsp.schedule.delay=1000",
        "-Dotel.blrp.schedule.delay=1000",
        "-Dvigil.demo.parent-pid=" + ProcessHandle.current().pid(),
        "-jar", layout.servicesJar().toString(),
        "--server.address=127.0.0.1",
        "--server.port=" + ports.services().get(role),
        "--vigil.demo.role=" + role,
        "--vigil.demo.orders-url=" + urls.get("orders"),
        "--vigil.demo.inventory-url=" + urls.get("inventory"),
        "--vigil.demo.payments-url=" + urls.get("payments"));
  }
}
