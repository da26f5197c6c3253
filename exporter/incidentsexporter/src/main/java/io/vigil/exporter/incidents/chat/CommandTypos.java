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
 * arguments are exactly that command's. A three-letter command word is read only through a swap
 * of two neighbours ("wyh 6", "cak 12", "rnu restart orders"): any other edit turns "ack" into
 * "back" and "why" into "who". The result is a reading, never an exact command: whatever it
 * would change is offered back, not run.
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

  /** The three-letter command words, read through a swap only. */
  private static final List<String> SHORT = List.of("ack", "why", "run");

  private CommandTypos() {}

  /** The command {@code text} would be with its first word corrected, if one edit does it. */
  static Optional<Command> read(String text) {
    String t = text.strip();
    int space = t.indexOf(' ');
    String word = (space < 0 ? t : t.substring(0, space)).toLowerCase(Locale.ROOT);
    String rest = space < 0 ? "" : t.substring(space);
    if (word.length() == 3) {
      String swapped = SHORT.stream().filter(w -> !w.equals(word) && swapOf(w, word))
          .findFirst().orElse(null);
      return swapped != null && Command.parse(swapped + rest) instanceof Command.Exact exact
          ? Optional.of(exact.command()) : Optional.empty();
    }
    if (word.length() < 3) {
      return Optional.empty();
    }
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

  /** True when {@code typed} is {@code word} with two neighbouring letters swapped. */
  private static boolean swapOf(String word, String typed) {
    for (int i = 0; i + 1 < word.length(); i++) {
      char[] c = word.toCharArray();
      char x = c[i];
      c[i] = c[i + 1];
      c[i + 1] = x;
      if (new String(c).equals(typed)) {
        return true;
      }
    }
    return false;
  }
}
