package io.vigil.exporter.incidents.chat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.util.automaton.CharacterRunAutomaton;
import org.apache.lucene.util.automaton.LevenshteinAutomata;

/**
 * Reads a message whose first word is a command word mistyped by one edit ("shw 17", "apporve 9
 * 1", "hepl": an insertion, deletion, substitution or swap of two neighbours) and whose
 * arguments are exactly that command's. Words of three letters or fewer are left alone: one edit
 * turns "ack" into "back" and "why" into "who". The result is a reading, never an exact command:
 * whatever it would change is offered back, not run.
 */
final class CommandTypos {

  /** The command words of {@link Command#parse} longer than three letters, each as a matcher. */
  private static final Map<String, CharacterRunAutomaton> ONE_EDIT = new LinkedHashMap<>();

  static {
    for (String w : List.of("help", "incidents", "list", "show", "acknowledge", "resolve",
        "similar", "status", "approve")) {
      ONE_EDIT.put(w, new CharacterRunAutomaton(new LevenshteinAutomata(w, true).toAutomaton(1)));
    }
  }

  private CommandTypos() {}

  /** The command {@code text} would be with its first word corrected, if one edit does it. */
  static Optional<Command> read(String text) {
    String t = text.strip();
    int space = t.indexOf(' ');
    String word = (space < 0 ? t : t.substring(0, space)).toLowerCase(Locale.ROOT);
    if (word.length() <= 3) {
      return Optional.empty();
    }
    String rest = space < 0 ? "" : t.substring(space);
    String match = null;
    for (Map.Entry<String, CharacterRunAutomaton> e : ONE_EDIT.entrySet()) {
      if (!e.getKey().equals(word) && e.getValue().run(word)) {
        if (match != null) {
          // One edit from two command words: not for this reader to choose.
          return Optional.empty();
        }
        match = e.getKey();
      }
    }
    if (match == null) {
      return Optional.empty();
    }
    return Command.parse(match + rest) instanceof Command.Exact exact
        ? Optional.of(exact.command()) : Optional.empty();
  }
}
