package io.vigil.eval.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.analysis.incidents.ClassificationScores;
import io.vigil.analysis.incidents.Incident;
import io.vigil.analysis.incidents.IncidentJsonl;
import io.vigil.analysis.incidents.SentenceEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incidents evaluation on the shared post-mortems: it runs end to end, and the embedding
 * classifier beats the majority and lexical baselines on the figures this run computes (the
 * issue's higher targets are reported in docs/evaluation.md, not asserted: they are not all met).
 */
class IncidentsEvaluationTest {

  private static final String ABSENT = "skipped: ../shared/data/incidents/postmortems.jsonl is"
      + " absent (the shared labelled data lives beside the project, see docs/evaluation.md)";

  private static final SentenceEmbedder EMBEDDER = new SentenceEmbedder();

  @Test
  void crossValidatedEmbeddingClassifierBeatsTheMajorityBaseline() {
    var file = IncidentsEvaluation.sharedFile();
    assumeTrue(file.isPresent(), ABSENT);
    List<Incident> incidents = IncidentJsonl.read(file.get());
    var report = IncidentsEvaluation.crossValidate(incidents, 5,
        IncidentsEvaluation.DEFAULT_SEED, false, EMBEDDER);
    IncidentsEvaluation.print(report, "test", "test");

    List<ClassificationScores> scores = new ArrayList<>(report.classification().values());
    assertThat(scores).hasSize(3);
    ClassificationScores majority = scores.get(0);
    ClassificationScores lexical = scores.get(1);
    ClassificationScores embedding = scores.get(2);
    assertThat(embedding.n()).isEqualTo(majority.n()).isGreaterThan(100);
    assertThat(embedding.macroF1()).isGreaterThan(lexical.macroF1())
        .isGreaterThan(majority.macroF1());
    assertThat(embedding.accuracy()).isGreaterThan(majority.accuracy());

    List<RankingScores> ranking = new ArrayList<>(report.recommendation().values());
    assertThat(ranking).hasSize(2);
    assertThat(ranking).allSatisfy(r -> {
      assertThat(r.n()).isGreaterThan(200);
      assertThat(r.hitAt1()).isBetween(0.0, r.hitAt3());
      assertThat(r.mrr()).isBetween(r.hitAt1(), r.hitAt3());
    });
  }

  @Test
  void trainsOnOneFileAndScoresOnAnother(@TempDir Path dir) throws Exception {
    var file = IncidentsEvaluation.sharedFile();
    assumeTrue(file.isPresent(), ABSENT);
    List<String> lines = Files.readAllLines(file.get());
    List<String> even = new ArrayList<>();
    List<String> odd = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      (i % 2 == 0 ? even : odd).add(lines.get(i));
    }
    Path train = Files.write(dir.resolve("train.jsonl"), even);
    Path test = Files.write(dir.resolve("test.jsonl"), odd);
    var report = IncidentsEvaluation.trainTest(IncidentJsonl.read(train), IncidentJsonl.read(test),
        false, EMBEDDER);
    assertThat(report.classification()).hasSize(3)
        .allSatisfy((name, s) -> assertThat(s.n()).isGreaterThan(80));
    assertThat(report.recommendation()).hasSize(2)
        .allSatisfy((name, s) -> assertThat(s.n()).isGreaterThan(100));
  }
}
