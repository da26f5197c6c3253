package io.vigil.testing;

import static org.awaitility.Awaitility.await;

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
 * A real server binary (Prometheus, Alertmanager: Debian's packages) run as a child process for
 * a test: started with its output in a log file, awaited until {@code /-/ready} answers 200
 * (failing with the log if it exits first), stopped on close.
 */
public final class ChildServer implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final String base;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private ChildServer(Process process, Path log, String base) {
    this.process = process;
    this.log = log;
    this.base = base;
  }

  /** The first of {@code names} found executable on PATH, or null (tests then skip). */
  public static Path binary(String... names) {
    String path = System.getenv("PATH");
    for (String name : names) {
      for (String dir : (path == null ? "/usr/bin" : path).split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /** Starts {@code command}, logging to {@code log}, and waits until {@code base}/-/ready. */
  public static ChildServer start(List<String> command, Path log, String base) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    ChildServer server = new ChildServer(p, log, base);
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            if (!p.isAlive()) {
              throw new IllegalStateException(command.get(0) + " exited: " + server.log());
            }
            return server.ready();
          });
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  public String base() {
    return base;
  }

  public HttpClient http() {
    return http;
  }

  public String log() {
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
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
