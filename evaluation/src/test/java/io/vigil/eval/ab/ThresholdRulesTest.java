package io.vigil.eval.ab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The A arm's threshold rules, unit-tested by Prometheus' own rule tester (promtool, from
 * Debian's prometheus package, which CI installs): each rule fires after its {@code for} on the
 * service that crosses its bound, and not before.
 */
class ThresholdRulesTest {

  private static final Path RULES = Path.of("../deploy/prometheus");

  @Test
  void promtoolPassesTheRulesUnitTests() throws IOException, InterruptedException {
    assumeTrue(onPath("promtool"), "promtool is not installed (Debian: apt-get install"
        + " prometheus); the threshold rules' unit tests are skipped");
    Process p = new ProcessBuilder("promtool", "test", "rules", "threshold-rules.test.yml")
        .directory(RULES.toFile()).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("SUCCESS");
  }

  private static boolean onPath(String binary) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, binary))) {
        return true;
      }
    }
    return false;
  }
}
