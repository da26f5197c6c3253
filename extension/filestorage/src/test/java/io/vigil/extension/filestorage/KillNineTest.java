package io.vigil.extension.filestorage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SIGKILL at random moments: every append the child printed as acknowledged must be in
 * the log when it is opened again, whatever the kill interrupted (a write, an fsync, a roll).
 */
class KillNineTest {

  /** Ten kills for the default policy; the others share its code path up to the fsync. */
  private static int rounds(FsyncPolicy p) {
    return p == FsyncPolicy.EVERY_BATCH ? 10 : 4;
  }

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(FsyncPolicy.class)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void everyAcknowledgedAppendSurvivesKillNine(FsyncPolicy policy) throws Exception {
    Random random = new Random(42 + policy.ordinal());
    Set<Long> acknowledged = new HashSet<>();
    Path log = dir.resolve("log");
    for (int round = 0; round < rounds(policy); round++) {
      int killAfter = 1 + random.nextInt(400);
      acknowledged.addAll(runAndKill(log, round * 10_000_000L, policy, killAfter));

      Set<Long> present = new HashSet<>();
      try (DurableLog reopened = DurableLog.open(log, LogOptions.builder().build())) {
        LogReader r = reopened.reader("check");
        for (int i = 0; i < 100_000; i++) {
          List<StoredRecord> batch = r.next(1000);
          if (batch.isEmpty()) {
            break;
          }
          for (StoredRecord s : batch) {
            String text = new String(s.payload(), StandardCharsets.UTF_8);
            present.add(Long.parseLong(text.substring(2, text.indexOf(';'))));
          }
        }
        reopened.removeReader("check");
      }
      Set<Long> missing = new HashSet<>(acknowledged);
      missing.removeAll(present);
      assertThat(missing).as("acknowledged but lost after round " + round).isEmpty();
    }
    assertThat(acknowledged).hasSizeGreaterThan(rounds(policy));
  }

  /** Starts the child, kills it after {@code killAfter} acknowledgements, returns them all. */
  private List<Long> runAndKill(Path log, long first, FsyncPolicy policy, int killAfter)
      throws IOException, InterruptedException {
    Path stderr = dir.resolve("child-stderr.txt");
    Process p = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            AppendUntilKilled.class.getName(), log.toString(), Long.toString(first),
            policy.configName())
        .redirectError(stderr.toFile())
        .start();
    List<Long> acked = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      // Ends at killAfter acknowledgements, then (after the kill) at end of stream.
      while ((line = out.readLine()) != null) {
        acked.add(Long.parseLong(line.trim()));
        if (acked.size() == killAfter) {
          // SIGKILL: no shutdown hook, no close, no final fsync. Through the handle, because
          // Process.destroyForcibly() also closes our end of the pipe, losing acknowledgements
          // the child printed just before it died.
          p.toHandle().destroyForcibly();
        }
      }
    } finally {
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acked)
        .as("child printed acknowledgements; stderr: " + Files.readString(stderr))
        .isNotEmpty();
    return acked;
  }
}
