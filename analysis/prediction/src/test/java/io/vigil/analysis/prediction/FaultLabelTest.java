package io.vigil.analysis.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels of faults with a precursor (the demo's heap_exhaustion): the service fails at
 * {@code failing_from}, and the rows of the leak before it are rows ahead of a failure.
 */
class FaultLabelTest {

  private static final Instant T0 = Instant.parse("2026-11-29T01:00:00Z");
  private static final long MINUTE = 60_000_000_000L;

  @Test
  void failingFromIsWhenTheServiceFails(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("faults.jsonl");
    Files.writeString(file, String.join("\n",
        "{\"service\":\"orders\",\"kind\":\"heap_exhaustion\",\"start\":\"" + T0 + "\","
            + "\"failing_from\":\"" + T0.plusSeconds(240) + "\",\"end\":\"" + T0.plusSeconds(360)
            + "\"}",
        "{\"service\":\"payments\",\"kind\":\"latency\",\"start\":\"" + T0 + "\",\"end\":\""
            + T0.plusSeconds(60) + "\"}"));
    List<FaultLabel> labels = FaultLabel.read(file);
    assertThat(labels.get(0).start()).isEqualTo(T0.plusSeconds(240));
    assertThat(labels.get(1).start()).isEqualTo(T0);
  }

  @Test
  void failingFromBeforeTheStartNamesTheLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("faults.jsonl");
    Files.writeString(file, "{\"service\":\"orders\",\"start\":\"" + T0 + "\",\"failing_from\":\""
        + T0.minusSeconds(1) + "\",\"end\":\"" + T0.plusSeconds(60) + "\"}\n");
    assertThatThrownBy(() -> FaultLabel.read(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("faults.jsonl:1").hasMessageContaining("failing_from");
  }

  @Test
  void theRampsRowsArePositivesNotLeftOutAsDuringTheFault() {
    // Minute rows of orders from T0 to T0 + 10 min; the leak starts at 2 min, fails at 6 min.
    List<FeatureTable.Row> rows = new ArrayList<>();
    long t0 = T0.getEpochSecond() * 1_000_000_000L;
    for (int m = 0; m < 10; m++) {
      rows.add(new FeatureTable.Row("orders", t0 + m * MINUTE, t0 + (m + 1) * MINUTE,
          new double[] {m}));
    }
    FaultLabel leak = new FaultLabel("orders", T0.plusSeconds(360), T0.plusSeconds(480),
        "heap_exhaustion");
    LabelledSet set = LabelledSet.of(rows, List.of(leak), 3 * MINUTE);
    // Rows ending at 3, 4, 5 and 6 min are within 3 min ahead of the failure, the rows from
    // 6, 7 and 8 min touch it; the leak's first rows (from 2 min) are positives, not left out.
    assertThat(set.excluded()).isEqualTo(3);
    assertThat(set.positives()).isEqualTo(4);
  }
}
