package io.vigil.exporter.incidents.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.util.automaton.CharacterRunAutomaton;
import org.apache.lucene.util.automaton.LevenshteinAutomata;

/**
 * Puts a mistyped word back to the word of the training vocabulary it is one edit from
 * ("simliar", "reslove", "stauts", "rstart": an insertion, deletion, substitution or swap of two
 * neighbours; two edits for words of nine letters or more). A word the vocabulary knows, a
 * short word, or a word near two vocabulary words stays as typed: guessing between two would
 * move a wrong reading in with confidence.
 */
final class WordCorrector {

  private static final int MIN_LENGTH = 4;
  private static final int TWO_EDITS_FROM = 9;

  private final Set<String> vocabulary;
  private final List<String> words;
  private final List<CharacterRunAutomaton> oneEdit;
  private final List<CharacterRunAutomaton> twoEdits;

  WordCorrector(Collection<String> vocabulary) {
    this.vocabulary = new TreeSet<>();
    vocabulary.forEach(w -> this.vocabulary.add(w.toLowerCase(Locale.ROOT)));
    this.words = new ArrayList<>();
    this.oneEdit = new ArrayList<>();
    this.twoEdits = new ArrayList<>();
    for (String w : this.vocabulary) {
      if (w.length() < MIN_LENGTH || !w.chars().allMatch(Character::isLetter)) {
        continue;
      }
      words.add(w);
      LevenshteinAutomata a = new LevenshteinAutomata(w, true);
      oneEdit.add(new CharacterRunAutomaton(a.toAutomaton(1)));
      twoEdits.add(w.length() >= TWO_EDITS_FROM ? new CharacterRunAutomaton(a.toAutomaton(2))
          : null);
    }
  }

  /** {@code text} (lower case, words split on anything but letters) with each typo corrected. */
  String correct(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    String lower = text.toLowerCase(Locale.ROOT);
    while (i < lower.length()) {
      if (!Character.isLetter(lower.charAt(i))) {
        out.append(lower.charAt(i++));
        continue;
      }
      int j = i;
      while (j < lower.length() && Character.isLetter(lower.charAt(j))) {
        j++;
      }
      out.append(word(lower.substring(i, j)));
      i = j;
    }
    return out.toString();
  }

  /** The vocabulary word {@code w} is a typo of, or {@code w}. */
  String word(String w) {
    if (w.length() < MIN_LENGTH || vocabulary.contains(w)) {
      return w;
    }
    String found = unique(w, oneEdit);
    if (found == null && w.length() >= TWO_EDITS_FROM) {
      found = unique(w, twoEdits);
    }
    return found == null ? w : found;
  }

  private String unique(String w, List<CharacterRunAutomaton> automata) {
    String found = null;
    for (int k = 0; k < automata.size(); k++) {
      CharacterRunAutomaton a = automata.get(k);
      if (a != null && a.run(w)) {
        if (found != null) {
          return null;
        }
        found = words.get(k);
      }
    }
    return found;
  }
}
