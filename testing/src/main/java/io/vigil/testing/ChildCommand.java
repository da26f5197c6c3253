package io.vigil.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command a test runs to its end: output (stdout and stderr together) through a temporary
 * file, so a chatty child cannot block on a full pipe, and a bounded wait that fails with what
 * it printed.
 */
public final class ChildCommand {

  /** The exit status and everything the command printed. */
  public record Result(int exit, String output) {}

  private ChildCommand() {}

  public static Result run(List<String> command, Duration timeout) throws IOException,
      InterruptedException {
    return run(command, null, timeout);
  }

  /** With {@code environment} as the child's whole environment, or the JVM's when null. */
  public static Result run(List<String> command, Map<String, String> environment,
      Duration timeout) throws IOException, InterruptedException {
    Path log = Files.createTempFile("vigil-command", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      if (environment != null) {
        builder.environment().clear();
        builder.environment().putAll(environment);
      }
      Process p = builder.start();
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " did not finish in " + timeout + ": "
            + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
