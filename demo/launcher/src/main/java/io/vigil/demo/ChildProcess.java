package io.vigil.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the demo started: its output goes to a log file (and optionally the console with a
 * prefix); stopping it asks politely first, so the agent flushes its last telemetry and the
 * gateway drains, then kills it and everything it started.
 */
final class ChildProcess {

  private final String name;
  private final Process process;
  private final Path logFile;

  private ChildProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  static ChildProcess start(String name, List<String> command, Map<String, String> env,
      Path logFile, PrintStream echo) throws IOException {
    return start(name, command, env, logFile, echo, false);
  }

  /** @param appendLog keep what the log file holds (a restarted process), else start it empty */
  static ChildProcess start(String name, List<String> command, Map<String, String> env,
      Path logFile, PrintStream echo, boolean appendLog) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    // The demo decides where its services send and what they are called, not the caller's shell.
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.equals("JAVA_TOOL_OPTIONS")
        || k.startsWith("VIGIL_"));
    pb.environment().putAll(env);
    Files.createDirectories(logFile.getParent());
    Process p = pb.start();
    ChildProcess child = new ChildProcess(name, p, logFile);
    Thread pump = new Thread(() -> child.pump(echo, appendLog), "demo-output-" + name);
    pump.setDaemon(true);
    pump.start();
    return child;
  }

  private void pump(PrintStream echo, boolean append) {
    try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out = append
            ? Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)
            : Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.write('\n');
        out.flush();
        if (echo != null) {
          echo.println("[" + name + "] " + line);
        }
      }
    } catch (IOException e) {
      if (echo != null) {
        echo.println("[" + name + "] output lost: " + e.getMessage());
      }
    }
  }

  String name() {
    return name;
  }

  Path logFile() {
    return logFile;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until {@code url} answers 200; fails with the end of the log if the process died. */
  void awaitHealthy(URI url, Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited with code " + process.exitValue()
            + " while starting; its log " + logFile + " ends with:\n" + tail(30));
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    throw new IOException(name + " did not become healthy at " + url + " within "
        + timeout.toSeconds() + "s; its log " + logFile + " ends with:\n" + tail(30));
  }

  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, then after {@code grace} SIGKILL for it and anything it started. */
  void stop(Duration grace) throws InterruptedException {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
    for (ProcessHandle d : descendants) {
      d.destroyForcibly();
    }
  }
}
