package io.vigil.eval.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.eval.SharedData;
import java.util.List;
import org.junit.jupiter.api.Test;

class NabFoldsTest {

  @Test
  void filesOfEachFolderAlternateBetweenTheHalvesInNameOrder() {
    List<List<String>> folds = NabFolds.split(List.of("b/2.csv", "a/1.csv", "b/1.csv",
        "a/2.csv", "a/3.csv", "c/1.csv"));
    assertThat(folds.get(0)).containsExactly("a/1.csv", "a/3.csv", "b/1.csv", "c/1.csv");
    assertThat(folds.get(1)).containsExactly("a/2.csv", "b/2.csv");
  }

  @Test
  void aSubsetCorpusScoresOnlyItsSeries() {
    // NabCorpus.only is what the folds are scored through; a key outside the corpus is refused.
    var dir = SharedData.folder("nab");
    assumeTrue(dir.isPresent(),
        "skipped: ../shared/data/nab is absent");
    NabCorpus all = new NabCorpus(dir.get());
    List<List<String>> folds = NabFolds.split(all.keys());
    assertThat(folds.get(0).size() + folds.get(1).size()).isEqualTo(all.keys().size());
    assertThat(all.only(folds.get(1)).keys()).isEqualTo(folds.get(1));
    assertThatThrownBy(() -> all.only(List.of("x/y.csv")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x/y.csv");
  }
}
