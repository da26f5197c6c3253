package io.vigil.eval.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.eval.SharedData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The metrics anomaly detector (default settings) streamed over the 31 shared NAB series. The
 * issue's target is 70 on the standard profile; the detector has no randomness, so the figures
 * in docs/evaluation.md (70.16 / 61.46 / 75.81) are reproduced exactly and guarded here.
 */
class NabEvaluationTest {

  @Test
  void theDetectorReachesTheTargetOnTheStandardProfileAndItsRecordedFiguresOnTheOthers() {
    var dir = SharedData.folder("nab");
    assumeTrue(dir.isPresent(), "skipped: ../shared/data/nab is absent (the shared labelled"
        + " data lives beside the project, see docs/evaluation.md)");
    NabCorpus corpus = new NabCorpus(dir.get());
    Map<String, double[]> scores = NabEvaluation.run(corpus, DetectorUnderTest::create);
    assertThat(scores).hasSize(31);
    List<NabScorer.Result> results = NabEvaluation.score(corpus, scores);
    assertThat(results).extracting(NabScorer.Result::profile)
        .containsExactly("standard", "reward_low_FP_rate", "reward_low_FN_rate");
    assertThat(results.get(0).normalised()).isGreaterThanOrEqualTo(70.0);
    assertThat(results.get(1).normalised()).isGreaterThanOrEqualTo(61.0);
    assertThat(results.get(2).normalised()).isGreaterThanOrEqualTo(75.0);
  }
}
