package io.vigil.eval.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.analysis.anomaly.DetectorSettings;
import io.vigil.eval.SharedData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metrics anomaly detector (default settings) streamed over the 31 shared NAB series. The
 * detector has no randomness, so the figures in docs/evaluation.md are reproduced exactly; each
 * is guarded here at its recorded value (to the two decimals the doc gives), so a change that
 * loses any of them fails.
 */
class NabEvaluationTest {

  private static final double DECIMALS = 0.005;
  private static NabCorpus corpus;
  private static Map<String, double[]> scores;

  @BeforeAll
  static void streamEverySeries() {
    var dir = SharedData.folder("nab");
    assumeTrue(dir.isPresent(), "skipped: ../shared/data/nab is absent (the shared labelled"
        + " data lives beside the project, see docs/evaluation.md)");
    corpus = new NabCorpus(dir.get());
    scores = NabEvaluation.run(corpus, DetectorUnderTest::create);
  }

  @Test
  void sweptThresholdFigures() {
    assertThat(scores).hasSize(31);
    List<NabScorer.Result> results = NabEvaluation.score(corpus, scores);
    assertThat(results).extracting(NabScorer.Result::profile)
        .containsExactly("standard", "reward_low_FP_rate", "reward_low_FN_rate");
    assertThat(results.get(0).normalised()).isGreaterThanOrEqualTo(70.16 - DECIMALS);
    assertThat(results.get(1).normalised()).isGreaterThanOrEqualTo(61.46 - DECIMALS);
    assertThat(results.get(2).normalised()).isGreaterThanOrEqualTo(75.81 - DECIMALS);
  }

  @Test
  void figuresAtTheShippedAlarmLevel() {
    double level = new DetectorSettings().alarmLevel();
    List<Double> at = corpus.profiles().stream()
        .map(p -> new NabScorer(p).score(corpus, scores, level).normalised()).toList();
    assertThat(at.get(0)).isGreaterThanOrEqualTo(70.16 - DECIMALS);
    assertThat(at.get(1)).isGreaterThanOrEqualTo(59.31 - DECIMALS);
    assertThat(at.get(2)).isGreaterThanOrEqualTo(75.71 - DECIMALS);
  }

  /**
   * The two-fold estimate of how the alarm level transfers to series it was not chosen on.
   * Issue #23 asks for 68 on each held-out half; half B falls short (docs/evaluation.md says
   * why), and the measured figures are what is guarded.
   */
  @Test
  void twoFoldHeldOutFigures() {
    List<NabEvaluation.Fold> folds = NabEvaluation.twoFold(corpus, scores,
        new DetectorSettings().alarmLevel());
    assertThat(folds).extracting(NabEvaluation.Fold::heldOut).containsExactly("B", "A");
    assertThat(folds.get(0).chosenThreshold()).isBetween(0.586, 0.587);
    assertThat(folds.get(0).heldOutScore()).isGreaterThanOrEqualTo(59.40 - DECIMALS);
    assertThat(folds.get(1).chosenThreshold()).isBetween(0.647, 0.648);
    assertThat(folds.get(1).heldOutScore()).isGreaterThanOrEqualTo(68.24 - DECIMALS);
  }
}
