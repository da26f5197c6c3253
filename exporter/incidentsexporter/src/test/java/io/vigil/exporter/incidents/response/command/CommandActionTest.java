package io.vigil.exporter.incidents.response.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.exporter.incidents.ResponseConfig;
import io.vigil.exporter.incidents.response.action.ActionCall;
import io.vigil.exporter.incidents.response.action.ActionRefusedException;
import io.vigil.exporter.incidents.response.action.ActionResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command action on real programs: no shell, the allow-list, timeout, output cap. */
class CommandActionTest {

  @TempDir Path dir;

  private static ActionCall prepare(Map<String, String> values, Duration timeout, int maxOutput,
      String... argv) {
    ResponseConfig.Commands c = new ResponseConfig.Commands();
    c.allowed = List.of(argv[0]);
    c.maxOutput = maxOutput;
    ResponseConfig.Action a = new ResponseConfig.Action();
    a.type = "command";
    a.argv = List.of(argv);
    a.timeout = timeout;
    CommandActions.validate(a, "a", c);
    return new CommandActions(c).prepare(a, values);
  }

  @Test
  void valuesReachTheProgramAsOneArgumentEachWithNoShell() throws Exception {
    Path marker = dir.resolve("pwned");
    String title = "db \"timeout\"; touch " + marker + " $(touch " + marker + ") `id` | cat *";
    ActionCall call = prepare(Map.of("incident.title", title, "incident.id", "inc-7"),
        Duration.ofSeconds(10), 2000, "/usr/bin/printf", "[%s]\\n", "${incident.id}",
        "title=${incident.title}");
    ActionResult r = call.call();
    assertThat(r.ok()).as(r.outcome()).isTrue();
    assertThat(r.outcome()).startsWith("exit 0 in ").endsWith(": [inc-7]\n[title=" + title
        + "]");
    assertThat(marker).as("nothing was interpreted by a shell").doesNotExist();
    assertThat(call.describe()).isEqualTo("command /usr/bin/printf");
    assertThat(call.target()).isEqualTo("command /usr/bin/printf");
  }

  @Test
  void theEnvironmentIsPathOnly() throws Exception {
    ActionResult r = prepare(Map.of(), Duration.ofSeconds(10), 2000, "/usr/bin/env").call();
    assertThat(r.outcome()).endsWith(": PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"
        + ":/sbin:/bin");
  }

  @Test
  void nonZeroExitIsAFailureWithItsOutput() throws Exception {
    ActionResult r = prepare(Map.of(), Duration.ofSeconds(10), 2000, "/bin/ls",
        dir.resolve("missing").toString()).call();
    assertThat(r.ok()).isFalse();
    assertThat(r.outcome()).startsWith("exit 2 in ").contains("No such file or directory");
  }

  @Test
  void programThatRunsPastTheTimeoutIsKilled() throws Exception {
    long start = System.nanoTime();
    ActionResult r = prepare(Map.of(), Duration.ofMillis(300), 2000, "/bin/sleep", "30").call();
    assertThat(r.ok()).isFalse();
    assertThat(r.outcome()).isEqualTo("timed out after PT0.3S, killed");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void outputIsCutToMaxOutputAndTheTotalIsTold() throws Exception {
    ActionResult r = prepare(Map.of(), Duration.ofSeconds(10), 20, "/usr/bin/seq", "1",
        "100000").call();
    assertThat(r.ok()).isTrue();
    // seq 1 100000 writes 588895 bytes; all are drained (no blocked pipe), 20 characters kept.
    assertThat(r.outcome()).endsWith(": 1\n2\n3\n4\n5\n6\n7\n8\n9\n10… (588895 bytes of"
        + " output in all)");
  }

  @Test
  void programThatCannotStartIsAFailure() throws Exception {
    Path notExecutable = Files.writeString(dir.resolve("script"), "#!/bin/sh\n");
    ActionResult r = prepare(Map.of(), Duration.ofSeconds(10), 2000, notExecutable.toString())
        .call();
    assertThat(r.ok()).isFalse();
    assertThat(r.outcome()).startsWith("cannot start " + notExecutable);
  }

  @Test
  void valueThatWouldReadAsAnOptionIsRefused() {
    assertThatThrownBy(() -> prepare(Map.of("incident.service", "--output=/etc/passwd"),
        Duration.ofSeconds(1), 2000, "/bin/echo", "${incident.service}"))
        .isInstanceOf(ActionRefusedException.class)
        .hasMessage("argument 1 (${incident.service}) would start with \"-\" and read as an"
            + " option: \"--output=/etc/passwd\"");
    // An option the operator wrote is theirs; the value after its "=" is not an option.
    assertThat(CommandActions.render(List.of("/bin/echo", "--service=${incident.service}"),
        Map.of("incident.service", "-x"))).containsExactly("/bin/echo", "--service=-x");
  }
}
