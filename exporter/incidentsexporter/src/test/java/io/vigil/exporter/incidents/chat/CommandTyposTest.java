package io.vigil.exporter.incidents.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandTyposTest {

  @Test
  void oneEditOnACommandWordWithItsExactArgumentsIsRead() {
    assertThat(CommandTypos.read("apporve 9 1")).get()
        .isEqualTo(new Command(Intent.APPROVE, "inc-9", 1, null, null));
    assertThat(CommandTypos.read("shwo #17")).get()
        .isEqualTo(new Command(Intent.SHOW, "inc-17", null, null, null));
    assertThat(CommandTypos.read("hepl")).get().extracting(Command::intent)
        .isEqualTo(Intent.HELP);
    assertThat(CommandTypos.read("acknowlege 9 on it")).get()
        .isEqualTo(new Command(Intent.ACK, "inc-9", null, null, "on it"));
    assertThat(CommandTypos.read("stauts orders")).get()
        .isEqualTo(new Command(Intent.STATUS, null, null, "orders", null));
  }

  @Test
  void aThreeLetterCommandWordIsReadThroughASwapOnly() {
    assertThat(CommandTypos.read("wyh 6")).get()
        .isEqualTo(new Command(Intent.WHY, "inc-6", null, null, null));
    assertThat(CommandTypos.read("cak 12 on it")).get()
        .isEqualTo(new Command(Intent.ACK, "inc-12", null, null, "on it"));
    assertThat(CommandTypos.read("rnu restart orders --dry-run")).get()
        .isEqualTo(new Command(Intent.RUN, null, null, "orders", null, "restart", true));
    assertThat(CommandTypos.read("wy 6")).as("a deletion").isEmpty();
    assertThat(CommandTypos.read("whx 6")).as("a substitution").isEmpty();
    assertThat(CommandTypos.read("hwy is closed")).as("not a command's arguments").isEmpty();
  }

  @Test
  void shortWordsTwoEditsWrongArgumentsAndExactWordsAreLeftToTheModel() {
    assertThat(CommandTypos.read("back in 5")).isEmpty();
    assertThat(CommandTypos.read("who are you")).isEmpty();
    assertThat(CommandTypos.read("aprvoe 9 1")).isEmpty();
    assertThat(CommandTypos.read("shwo me the orders one")).isEmpty();
    assertThat(CommandTypos.read("resovle 18")).as("a resolution needs a note").isEmpty();
    assertThat(CommandTypos.read("show 12")).as("exact: Command.parse's").isEmpty();
    assertThat(CommandTypos.read("")).isEmpty();
  }

  @Test
  void aMistypedChangeIsOfferedNeverRun() {
    EmptyDesk desk = new EmptyDesk();
    ChatResponder chat = new ChatResponder(desk, () -> {
      throw new AssertionError("a mistyped command needs no model");
    }, java.time.Clock.systemUTC());
    ChatResponder.Reply r = chat.answer("resovle 18 scaled the db", "slack:alice");
    assertThat(r.ran()).isFalse();
    assertThat(r.text()).contains("`/vigil resolve 18 scaled the db`");
    assertThat(desk.changes).isEmpty();
    assertThat(chat.answer("apporve 9 1", "slack:alice").text()).contains("`/vigil approve 9 1`");
    assertThat(desk.changes).isEmpty();
  }
}
