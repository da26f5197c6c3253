package io.vigil.eval.ab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.eval.faults.FaultLabel;
import io.vigil.eval.faults.IncidentRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The A/B of run 6 ({@code bin/vigil-demo --scenario faults}, 40 minutes, every fault kind once)
 * recomputed from what it recorded: the real Prometheus' {@code ALERTS} answer for the threshold
 * rules (threshold-alerts.json, as {@code ab --save-alerts} wrote it) and Vigil's incident rows.
 */
class RecordedABRunTest {

  private static final Path RUN = Path.of("src/test/resources/faults/run6-faults-40min");

  @Test
  void prometheusAnswerIsReadAsFiringEpisodesPerRuleAndService() throws Exception {
    JsonNode saved = new ObjectMapper().readTree(RUN.resolve("threshold-alerts.json").toFile());
    List<AlertEpisode> alerts = PrometheusAlerts.episodes(saved.get("query_range"),
        Duration.ofSeconds(5), "exported_job");

    assertThat(alerts).extracting(AlertEpisode::rule).containsOnly("HighErrorRatio",
        "HighLatencyP95");
    assertThat(alerts).extracting(AlertEpisode::service)
        .containsOnly("payments", "orders", "storefront", "inventory");
    assertThat(alerts).hasSize(7).isSortedAccordingTo(
        java.util.Comparator.comparing(AlertEpisode::firedAt));
  }

  @Test
  void vigilDetectsMoreFaultsSoonerAndMorePreciselyThanTheThresholdRulesOnRun6()
      throws Exception {
    JsonNode saved = new ObjectMapper().readTree(RUN.resolve("threshold-alerts.json").toFile());
    var r = ThresholdABEvaluation.evaluate(FaultLabel.read(RUN.resolve("faults.jsonl")),
        PrometheusAlerts.episodes(saved.get("query_range"), Duration.ofSeconds(5),
            "exported_job"),
        IncidentRow.read(RUN.resolve("incidents.json")),
        Instant.parse(saved.get("from").asText()), Instant.parse(saved.get("to").asText()));

    assertThat(r.thresholds().detections()).extracting(d -> d.first() != null)
        .containsExactly(true, false, true, true, false, false, false);
    assertThat(r.vigil().detections()).extracting(d -> d.first() != null)
        .containsExactly(true, false, true, true, true, true, true);
    assertThat(r.thresholds().meanTimeToDetect().toSeconds()).isEqualTo(97);
    assertThat(r.vigil().meanTimeToDetect().toSeconds()).isEqualTo(22);
    assertThat(r.vigil().meanTimeToDetect()).isLessThanOrEqualTo(
        r.thresholds().meanTimeToDetect().dividedBy(2));
    assertThat(r.vigil().precision()).isGreaterThanOrEqualTo(r.thresholds().precision());
    assertThat(r.thresholds().alerts()).isEqualTo(7);
    assertThat(r.vigil().alerts()).isEqualTo(9);
    assertThat(r.bothDetected()).isEqualTo(3);
  }
}
