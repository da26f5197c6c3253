package io.vigil.exporter.incidents.response.command;

import io.vigil.exporter.incidents.response.action.ActionCall;
import io.vigil.exporter.incidents.response.action.ActionResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One run of an allow-listed program: no shell, an environment of {@code PATH} only (the
 * gateway's secrets in its environment stay with it), stdin closed, stdout and stderr
 * together, kept up to {@code maxOutput} characters; killed with its children at the timeout.
 */
final class CommandAction implements ActionCall {

  private static final String PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final List<String> argv;
  private final Duration timeout;
  private final int maxOutput;

  CommandAction(List<String> argv, Duration timeout, int maxOutput) {
    this.argv = List.copyOf(argv);
    this.timeout = timeout;
    this.maxOutput = maxOutput;
  }

  List<String> argv() {
    return argv;
  }

  @Override
  public String target() {
    return "command " + argv.get(0);
  }

  @Override
  public String describe() {
    return "command " + argv.get(0);
  }

  @Override
  public String detail() {
    return argv.stream().map(a -> "\"" + a.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  @Override
  public ActionResult call() throws InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().put("PATH", PATH);
    long start = System.nanoTime();
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new ActionResult(false, "cannot start " + argv.get(0) + ": " + e.getMessage());
    }
    try {
      p.getOutputStream().close();
    } catch (IOException ignored) {
      // The program may already have exited; there is nothing to send it either way.
    }
    OutputReader out = new OutputReader(p.getInputStream(), maxOutput);
    out.start();
    try {
      boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        kill(p);
        out.join(1000);
        return new ActionResult(false, "timed out after " + timeout + ", killed"
            + out.describe());
      }
      out.join(1000);
      long ms = (System.nanoTime() - start) / 1_000_000;
      int code = p.exitValue();
      return new ActionResult(code == 0, "exit " + code + " in " + ms + " ms" + out.describe());
    } catch (InterruptedException e) {
      kill(p);
      throw e;
    }
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  /**
   * Drains the program's output so it never blocks on a full pipe, keeping the first bytes;
   * what is beyond the cap is read and counted, not kept.
   */
  private static final class OutputReader extends Thread {
    private final InputStream in;
    private final int max;
    private final byte[] kept;
    private int length;
    private long total;

    OutputReader(InputStream in, int max) {
      super("incidents-response-command-output");
      setDaemon(true);
      this.in = in;
      this.max = max;
      // UTF-8 takes up to 4 bytes a character; the cut to max characters happens on decode.
      this.kept = new byte[(int) Math.min(Integer.MAX_VALUE - 8, 4L * max)];
    }

    @Override
    public void run() {
      byte[] buf = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          synchronized (this) {
            int keep = Math.min(n, kept.length - length);
            System.arraycopy(buf, 0, kept, length, keep);
            length += keep;
            total += n;
          }
        }
      } catch (IOException ignored) {
        // The stream closes when the process is killed: what was read is kept.
      }
    }

    synchronized String describe() {
      String s = new String(kept, 0, length, StandardCharsets.UTF_8).strip();
      boolean cut = total > length || s.length() > max;
      if (s.length() > max) {
        s = s.substring(0, max);
      }
      if (s.isEmpty()) {
        return "";
      }
      return ": " + s + (cut ? "… (" + total + " bytes of output in all)" : "");
    }
  }
}
