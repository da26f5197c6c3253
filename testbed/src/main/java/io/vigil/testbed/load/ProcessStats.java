package io.vigil.testbed.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** CPU time and resident memory of a process, from the JDK and /proc (Linux). */
public final class ProcessStats {

  private ProcessStats() {}

  public static Duration cpu(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).orElse(Duration.ZERO);
  }

  /** Peak resident set (VmHWM) in MiB, or -1 where /proc does not say. */
  public static double peakRssMib(long pid) {
    return statusKib(pid, "VmHWM:") / 1024.0;
  }

  public static double rssMib(long pid) {
    return statusKib(pid, "VmRSS:") / 1024.0;
  }

  private static long statusKib(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1024;
    }
    return -1024;
  }
}
