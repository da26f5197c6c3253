package io.vigil.eval.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.eval.SharedData;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NabScorerTest {

  private static final NabCorpus.Profile STANDARD =
      new NabCorpus.Profile("standard", 1.0, 0.11, 1.0);

  private static Path nab() {
    var dir = SharedData.folder("nab");
    assumeTrue(dir.isPresent(), "skipped: ../shared/data/nab is absent (the shared labelled"
        + " data lives beside the project, see docs/evaluation.md)");
    return dir.get();
  }

  /** NAB's own scorer on the 31 shared series gives these (../shared/data/README.md). */
  @ParameterizedTest
  @CsvSource({
      "windowedGaussian, standard, 37.70, 1.0",
      "windowedGaussian, reward_low_FP_rate, 32.72, 1.0",
      "windowedGaussian, reward_low_FN_rate, 40.86, 1.0",
      "randomCutForest, standard, 61.26, 0.3307",
      "randomCutForest, reward_low_FP_rate, 50.68, 0.3570",
      "randomCutForest, reward_low_FN_rate, 68.51, 0.3307"})
  void reproducesNabsScoresOfTheReferenceDetectors(String detector, String profile,
      double expected, double threshold) {
    NabCorpus corpus = new NabCorpus(nab());
    Map<String, double[]> scores =
        corpus.detectorScores(nab().resolve("reference-detectors").resolve(detector), detector);
    NabCorpus.Profile p = corpus.profiles().stream().filter(x -> x.name().equals(profile))
        .findFirst().orElseThrow();
    NabScorer.Result r = new NabScorer(p).score(corpus, scores);
    assertThat(r.normalised()).isCloseTo(expected, within(0.01));
    assertThat(r.threshold()).isCloseTo(threshold, within(0.0001));
  }

  private static List<LocalDateTime> minutes(int n) {
    List<LocalDateTime> ts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ts.add(LocalDateTime.of(2020, 1, 1, 0, 0).plusMinutes(i));
    }
    return ts;
  }

  @Test
  void aDetectionAtTheLeftEdgeEarnsTheFullRewardAndLaterLess() {
    List<LocalDateTime> ts = minutes(100);
    var window = List.of(new NabCorpus.Window(ts.get(40), ts.get(49)));
    NabScorer scorer = new NabScorer(STANDARD);
    double[] left = new double[100];
    left[40] = 1;
    double[] late = new double[100];
    late[48] = 1;
    double leftScore = scorer.scoresByThreshold(scorer.sweepPoints("f", ts, left, window))
        .get(1).score();
    double lateScore = scorer.scoresByThreshold(scorer.sweepPoints("f", ts, late, window))
        .get(1).score();
    assertThat(leftScore).isCloseTo(1.0, within(1e-9));
    assertThat(lateScore).isBetween(0.0, 0.5);
    // Nothing detected: the window is missed.
    assertThat(scorer.scoresByThreshold(scorer.sweepPoints("f", ts, left, window)).get(0).score())
        .isEqualTo(-1.0);
  }

  @Test
  void probationIsIgnoredAndFalsePositivesCostMoreFarFromAWindow() {
    List<LocalDateTime> ts = minutes(100);
    var window = List.of(new NabCorpus.Window(ts.get(40), ts.get(49)));
    NabScorer scorer = new NabScorer(STANDARD);
    double[] inProbation = new double[100];
    inProbation[5] = 1;
    assertThat(NabScorer.probationLength(100)).isEqualTo(15);
    assertThat(scorer.scoresByThreshold(scorer.sweepPoints("f", ts, inProbation, window)))
        .as("a probationary detection is not even a threshold")
        .extracting(NabScorer.ThresholdScore::threshold).containsExactly(1.1, 0.0);
    double[] justAfter = new double[100];
    justAfter[50] = 1;
    double[] farAfter = new double[100];
    farAfter[95] = 1;
    double near = scorer.scoresByThreshold(scorer.sweepPoints("f", ts, justAfter, window))
        .get(1).score();
    double far = scorer.scoresByThreshold(scorer.sweepPoints("f", ts, farAfter, window))
        .get(1).score();
    assertThat(near).isGreaterThan(far);
    assertThat(far).isCloseTo(-1.0 - 0.11, within(1e-3));
  }

  @Test
  void onlyTheBestDetectionInAWindowCounts() {
    List<LocalDateTime> ts = minutes(100);
    var window = List.of(new NabCorpus.Window(ts.get(40), ts.get(49)));
    NabScorer scorer = new NabScorer(STANDARD);
    double[] many = new double[100];
    for (int i = 40; i < 50; i++) {
      many[i] = 1;
    }
    assertThat(scorer.scoresByThreshold(scorer.sweepPoints("f", ts, many, window)).get(1).score())
        .isCloseTo(1.0, within(1e-9));
  }
}
