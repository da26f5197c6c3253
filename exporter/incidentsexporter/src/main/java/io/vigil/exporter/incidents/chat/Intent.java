package io.vigil.exporter.incidents.chat;

import java.util.Locale;

/** What a chat message asks for; the commands of {@code /vigil help}, and "not understood". */
public enum Intent {
  LIST(false), SHOW(false), ACK(true), RESOLVE(true), SIMILAR(false), WHY(false), STATUS(false),
  APPROVE(true), HELP(false), UNKNOWN(false), RUN(true);

  private final boolean changesSomething;

  Intent(boolean changesSomething) {
    this.changesSomething = changesSomething;
  }

  /**
   * True for intents that change an incident or run an action: these run only from the exact
   * command, never from a free-text guess.
   */
  public boolean changesSomething() {
    return changesSomething;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Intent of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
