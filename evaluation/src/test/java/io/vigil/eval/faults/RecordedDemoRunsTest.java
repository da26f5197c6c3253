package io.vigil.eval.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The scorer on the inputs recorded from hand runs of {@code bin/vigil-demo --scenario
 * faults-short} (faults.jsonl, and the incident rows {@code incidents-vs-faults --save-rows}
 * wrote): the figures docs/evaluation.md reports, recomputed.
 */
class RecordedDemoRunsTest {

  private static FaultIncidentScorer.Score score(String run) throws Exception {
    Path dir = Path.of("src/test/resources/faults", run);
    return new FaultIncidentScorer(FaultIncidentScorer.DEFAULT_LEAD,
        FaultIncidentScorer.DEFAULT_TAIL).score(FaultLabel.read(dir.resolve("faults.jsonl")),
        IncidentRow.read(dir.resolve("incidents.json")), -1);
  }

  @Test
  void run1WithATwoMinuteGroupWindowFoldedEveryFaultIntoStartUpIncidents() throws Exception {
    var s = score("run1-group2m");

    assertThat(s.faults()).hasSize(3);
    assertThat(s.exactlyOne()).isZero();
    assertThat(s.detected()).isZero();
    assertThat(s.noise()).hasSize(8);
    assertThat(s.incidents()).isEqualTo(8);
    assertThat(s.rawAnomalies()).isEqualTo(84);
  }
}
