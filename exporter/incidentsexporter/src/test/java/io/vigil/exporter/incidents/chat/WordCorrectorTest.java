package io.vigil.exporter.incidents.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordCorrectorTest {

  private final WordCorrector corrector = new WordCorrector(List.of("similar", "resolve",
      "status", "restart", "restarted", "acknowledge", "incidents", "state", "fallback", "show"));

  @Test
  void oneEditFromOneWordIsThatWord() {
    assertThat(corrector.correct("simliar qnumq")).isEqualTo("similar qnumq");
    assertThat(corrector.correct("reslove 6, cache")).isEqualTo("resolve 6, cache");
    assertThat(corrector.correct("stauts qsvcq")).isEqualTo("status qsvcq");
    assertThat(corrector.correct("rstart it")).isEqualTo("restart it");
  }

  @Test
  void twoEditsOnlyForLongWords() {
    assertThat(corrector.word("acknowlgede")).isEqualTo("acknowledge");
    assertThat(corrector.word("incidnetz")).isEqualTo("incidents");
    // "rollback" is two edits from "fallback": a real word, not a typo of it.
    assertThat(corrector.word("rollback")).isEqualTo("rollback");
  }

  @Test
  void knownShortOrAmbiguousWordsStayAsTyped() {
    assertThat(corrector.word("show")).isEqualTo("show");
    assertThat(corrector.word("shw")).isEqualTo("shw");
    // One edit from both "restart" and "restarted": not for the corrector to choose.
    assertThat(corrector.word("restarte")).isEqualTo("restarte");
    // "stats" is one edit from "status" and "state": left alone.
    assertThat(corrector.word("stats")).isEqualTo("stats");
    assertThat(corrector.correct("LUNCH anyone?")).isEqualTo("lunch anyone?");
  }
}
