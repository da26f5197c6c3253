package io.vigil.eval.loghub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.analysis.logtemplate.MinerSettings;
import io.vigil.eval.SharedData;
import io.vigil.processor.logtemplate.LogTemplateConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The logtemplate miner, with its default configuration, on the shared Loghub 2k samples. */
class LoghubEvaluationTest {

  private static Path loghub() {
    var dir = SharedData.folder("loghub-2k");
    assumeTrue(dir.isPresent(), "skipped: ../shared/data/loghub-2k is absent (the shared"
        + " labelled data lives beside the project, see docs/evaluation.md)");
    return dir.get();
  }

  /** Grouping accuracy per system with the default configuration (docs/evaluation.md). */
  private static final Map<String, Double> MEASURED = Map.ofEntries(
      Map.entry("Android", 0.9465), Map.entry("Apache", 1.0), Map.entry("BGL", 0.9885),
      Map.entry("HDFS", 1.0), Map.entry("HPC", 0.9505), Map.entry("Hadoop", 0.9940),
      Map.entry("Linux", 0.8100), Map.entry("OpenSSH", 0.9945), Map.entry("Spark", 0.9220),
      Map.entry("Windows", 1.0), Map.entry("Zookeeper", 0.9845));

  @Test
  void theDefaultConfigurationKeepsEachSystemsMeasuredAccuracy() {
    List<LoghubEvaluation.Result> results =
        LoghubEvaluation.evaluateAll(loghub(), new LogTemplateConfig());
    assertThat(results).extracting(LoghubEvaluation.Result::system)
        .containsExactlyInAnyOrderElementsOf(MEASURED.keySet());
    assertThat(results).allSatisfy(r -> {
      assertThat(r.lines()).isEqualTo(2000);
      assertThat(r.accuracy()).as(r.system())
          .isGreaterThanOrEqualTo(MEASURED.get(r.system()) - 1e-9);
    });
    double average = results.stream().mapToDouble(LoghubEvaluation.Result::accuracy).average()
        .orElseThrow();
    assertThat(average).isGreaterThanOrEqualTo(0.9627);
  }

  @Test
  void twoFoldHeldOutAccuracyAndTheShippedDefaultIsTheAllInChoice() {
    List<LoghubDataset> sets = LoghubDataset.all(loghub());
    List<String> alphabetical = sets.stream().map(LoghubDataset::system).sorted().toList();
    for (int i = 0; i < alphabetical.size(); i++) {
      assertThat(i % 2 == 0 ? LoghubTwoFold.FOLD_A : LoghubTwoFold.FOLD_B)
          .as("the halves alternate in alphabetical order").contains(alphabetical.get(i));
    }
    List<LoghubTwoFold.Fold> folds = LoghubTwoFold.run(sets);

    LoghubTwoFold.Fold aForB = folds.get(0);
    assertThat(aForB.chosen().similarity()).isEqualTo(0.7);
    assertThat(aForB.chosen().settleAfter()).isEqualTo(10);
    assertThat(aForB.heldOut().accuracy().keySet())
        .containsExactlyElementsOf(LoghubTwoFold.FOLD_B);
    assertThat(aForB.heldOut().average()).isGreaterThanOrEqualTo(0.9197);

    LoghubTwoFold.Fold bForA = folds.get(1);
    assertThat(bForA.chosen().similarity()).isEqualTo(0.7);
    assertThat(bForA.chosen().settleAfter()).isEqualTo(50);
    assertThat(bForA.heldOut().accuracy().keySet())
        .containsExactlyElementsOf(LoghubTwoFold.FOLD_A);
    assertThat(bForA.heldOut().average()).isGreaterThanOrEqualTo(0.9336);

    LoghubTwoFold.Fold allIn = folds.get(2);
    assertThat(allIn.chosen().similarity())
        .isEqualTo(MinerSettings.DEFAULTS.similarityThreshold());
    assertThat(allIn.chosen().settleAfter()).isEqualTo(MinerSettings.DEFAULTS.settleAfter());
    assertThat(allIn.heldOut().average()).isGreaterThanOrEqualTo(0.9627);
  }

  @Test
  void bglAlertLinesAreScored() {
    var r = BglAnomalyEvaluation.evaluate(
        LoghubDataset.load("BGL", loghub().resolve("BGL/BGL_2k.log_structured.csv")));
    assertThat(r.lines()).isEqualTo(2000);
    assertThat(r.alerts()).as("BGL_2k labels its alert lines").isPositive();
    assertThat(r.truePositives()).isPositive().isLessThanOrEqualTo(r.flagged());
  }
}
