package io.vigil.eval.loghub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.eval.SharedData;
import io.vigil.processor.logtemplate.LogTemplateConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The logtemplate miner, with its default configuration, on the shared Loghub 2k samples. */
class LoghubEvaluationTest {

  private static Path loghub() {
    var dir = SharedData.folder("loghub-2k");
    assumeTrue(dir.isPresent(), "skipped: ../shared/data/loghub-2k is absent (the shared"
        + " labelled data lives beside the project, see docs/evaluation.md)");
    return dir.get();
  }

  @Test
  void averageGroupingAccuracyOverTheElevenSystemsIsAtLeastNinety() {
    List<LoghubEvaluation.Result> results =
        LoghubEvaluation.evaluateAll(loghub(), new LogTemplateConfig());
    assertThat(results).extracting(LoghubEvaluation.Result::system).containsExactlyInAnyOrder(
        "Android", "Apache", "BGL", "HDFS", "HPC", "Hadoop", "Linux", "OpenSSH", "Spark",
        "Windows", "Zookeeper");
    assertThat(results).allSatisfy(r -> assertThat(r.lines()).isEqualTo(2000));
    double average = results.stream().mapToDouble(LoghubEvaluation.Result::accuracy).average()
        .orElseThrow();
    assertThat(average).isGreaterThanOrEqualTo(0.90);
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
