package io.vigil.exporter.incidents.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandTest {

  @Test
  void theSlashCommandTypedOutIsTheSameCommand() {
    // The console's chat panel gets the whole line, Slack only what follows /vigil.
    assertThat(Command.parse("/vigil show 7")).isEqualTo(Command.parse("show 7"))
        .isInstanceOf(Command.Exact.class);
    assertThat(Command.parse("/VIGIL incidents")).isEqualTo(Command.parse("incidents"));
    assertThat(Command.parse("  /vigil   ack 12 looking")).isEqualTo(Command.parse("ack 12 looking"));
    assertThat(Command.parse("/vigil")).isEqualTo(Command.parse("help"));
    assertThat(Command.parse("/vigilant show 7")).as("only the command itself")
        .isInstanceOf(Command.NotACommand.class);
  }
}
