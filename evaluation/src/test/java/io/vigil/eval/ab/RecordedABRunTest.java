package io.vigil.eval.ab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.eval.faults.AnomalyReplay;
import io.vigil.eval.faults.FaultLabel;
import io.vigil.eval.faults.IncidentRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import io.vigil.exporter.incidents.OpeningConfig;
import io.vigil.exporter.incidents.internal.AnomalyJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The A/B of run 6 ({@code bin/vigil-demo --scenario faults}, 40 minutes, every fault kind once)
 * recomputed from what it recorded: the real Prometheus' {@code ALERTS} answer for the threshold
 * rules (threshold-alerts.json, as {@code ab --save-alerts} wrote it) and Vigil's incident rows.
 */
class RecordedABRunTest {

  private static final Path RUN = Path.of("src/test/resources/faults/run6-faults-40min");

  @TempDir Path store;

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
    var r = recorded(RUN.getFileName().toString());

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

  @Test
  void run7WithTheInjectorFilteredOutVigilDetectsMoreSoonerAndMorePrecisely() throws Exception {
    var r = recorded("run7-faults-40min-control-plane-filtered");

    assertThat(r.thresholds().detected()).isEqualTo(3);
    assertThat(r.vigil().detections()).extracting(d -> d.first() != null)
        .containsExactly(true, false, true, true, true, true, true);
    assertThat(r.vigil().meanTimeToDetect()).isLessThanOrEqualTo(
        r.thresholds().meanTimeToDetect().dividedBy(2));
    assertThat(r.vigil().precision()).isGreaterThanOrEqualTo(r.thresholds().precision());
    assertThat(r.vigil().falseAlerts()).isEqualTo(2);
  }

  private static ThresholdABEvaluation.Result recorded(String run) throws Exception {
    Path dir = Path.of("src/test/resources/faults", run);
    JsonNode saved = new ObjectMapper().readTree(dir.resolve("threshold-alerts.json").toFile());
    return ThresholdABEvaluation.evaluate(FaultLabel.read(dir.resolve("faults.jsonl")),
        PrometheusAlerts.episodes(saved.get("query_range"), Duration.ofSeconds(5),
            "exported_job"),
        IncidentRow.read(dir.resolve("incidents.json")),
        Instant.parse(saved.get("from").asText()), Instant.parse(saved.get("to").asText()));
  }

  /** Held-out run 8 (faults, seed 3): the time bar holds, precision only just, at a price. */
  @Test
  void heldOutRun8VigilIsFasterAtSlightlyBetterPrecisionWithMoreFalsePages() throws Exception {
    var r = recorded("run8-faults-seed3-heldout");

    assertThat(r.thresholds().detected()).isEqualTo(4);
    assertThat(r.vigil().detected()).isEqualTo(5);
    assertThat(r.thresholds().meanTimeToDetect().toSeconds()).isEqualTo(103);
    assertThat(r.vigil().meanTimeToDetect().toSeconds()).isEqualTo(7);
    assertThat(r.vigil().precision()).isGreaterThan(r.thresholds().precision());
    assertThat(r.vigil().falseAlerts()).isEqualTo(5);
    assertThat(r.thresholds().falseAlerts()).isZero();
  }

  /** Held-out run 9 (faults-b, seed 2): faster, but less precise than the rules. */
  @Test
  void heldOutRun9VigilIsFasterButLessPreciseThanTheRules() throws Exception {
    var r = recorded("run9-faults-b-seed2-heldout");

    assertThat(r.thresholds().detected()).isEqualTo(3);
    assertThat(r.vigil().detected()).isEqualTo(4);
    assertThat(r.thresholds().meanTimeToDetect().toSeconds()).isEqualTo(92);
    assertThat(r.vigil().meanTimeToDetect().toSeconds()).isEqualTo(1);
    assertThat(r.vigil().precision()).isLessThan(r.thresholds().precision());
    assertThat(r.vigil().falseAlerts()).isEqualTo(6);
  }

  /**
   * Held-out runs 11 and 12 (precursors, seed 5; precursors-b, seed 6; a scenario written after
   * every setting was fixed): heap exhaustions that leak for minutes before they fail, among
   * look-alikes. The bar holds on both; on three exhaustions Vigil paged during the leak.
   */
  @Test
  void heldOutPrecursorRunsVigilIsFasterAndMorePreciseAndWarnsAheadOfSomeFailures()
      throws Exception {
    var r11 = recorded("run11-precursors-seed5-heldout");
    assertThat(r11.thresholds().detected()).isEqualTo(3);
    assertThat(r11.vigil().detected()).isEqualTo(4);
    assertThat(r11.thresholds().meanTimeToDetect().toSeconds()).isEqualTo(80);
    assertThat(r11.vigil().meanTimeToDetect().toSeconds()).isEqualTo(2);
    assertThat(r11.vigil().precision()).isEqualTo(0.7);
    assertThat(r11.thresholds().precision()).isLessThan(0.25);
    assertThat(r11.vigil().detections()).extracting(d -> d.warnedAhead().map(w -> w.toSeconds())
        .orElse(-1L)).containsExactly(210L, -1L, 54L, -1L, -1L);

    var r12 = recorded("run12-precursors-b-seed6-heldout");
    assertThat(r12.thresholds().detected()).isEqualTo(4);
    assertThat(r12.vigil().detected()).isEqualTo(4);
    assertThat(r12.vigil().meanTimeToDetect()).isLessThanOrEqualTo(
        r12.thresholds().meanTimeToDetect().dividedBy(2));
    assertThat(r12.vigil().precision()).isEqualTo(0.5);
    assertThat(r12.thresholds().precision()).isLessThan(0.3);
    assertThat(r12.vigil().detections().get(4).warnedAhead()).hasValueSatisfying(
        w -> assertThat(w.toSeconds()).isEqualTo(214));
  }

  /**
   * Held-out runs 13 and 14 (precursors, seed 7; precursors-b, seed 8; nothing changed since runs
   * 11 and 12): the time bar holds on both; precision is better than the rules' on 13, worse on
   * 14, where Vigil opened incidents on the exhausted storefront's neighbours.
   */
  @Test
  void heldOutPrecursorRuns13And14VigilIsFasterOnBothMorePreciseOnOne() throws Exception {
    var r13 = recorded("run13-precursors-seed7-heldout");
    assertThat(r13.thresholds().detected()).isEqualTo(3);
    assertThat(r13.vigil().detected()).isEqualTo(4);
    assertThat(r13.thresholds().meanTimeToDetect().toSeconds()).isEqualTo(78);
    assertThat(r13.vigil().meanTimeToDetect().toSeconds()).isEqualTo(1);
    assertThat(r13.vigil().precision()).isGreaterThan(r13.thresholds().precision());
    assertThat(r13.vigil().detections().get(4).warnedAhead()).hasValueSatisfying(
        w -> assertThat(w.toSeconds()).isEqualTo(126));

    var r14 = recorded("run14-precursors-b-seed8-heldout");
    assertThat(r14.thresholds().detected()).isEqualTo(4);
    assertThat(r14.vigil().detected()).isEqualTo(5);
    assertThat(r14.vigil().meanTimeToDetect()).isLessThanOrEqualTo(
        r14.thresholds().meanTimeToDetect().dividedBy(2));
    assertThat(r14.vigil().precision()).isLessThan(r14.thresholds().precision());
    assertThat(r14.vigil().falseAlerts()).isEqualTo(3);
    assertThat(r14.thresholds().falseAlerts()).isZero();
  }

  /**
   * Held-out runs 15 and 16 (precursors-c, seeds 9 and 10: a third order, written before the
   * predictor's features were chosen), the failure predictor trained on runs 13 and 14 live in
   * arm B: every heap exhaustion warned 3 to 4.5 minutes before it failed, in both runs; the time
   * bar holds on both, precision not (0.54 against 0.55, and 0.35).
   */
  @Test
  void heldOutRuns15And16WithThePredictorEveryExhaustionIsWarnedAhead() throws Exception {
    for (String run : List.of("run15-precursors-c-seed9-predictor-heldout",
        "run16-precursors-c-seed10-predictor-heldout")) {
      var r = recorded(run);
      assertThat(r.thresholds().detected()).as(run).isEqualTo(5);
      assertThat(r.vigil().meanTimeToDetect()).as(run).isLessThanOrEqualTo(
          r.thresholds().meanTimeToDetect().dividedBy(2));
      assertThat(r.vigil().precision()).as(run).isLessThan(r.thresholds().precision());
      // faults 2, 4 and 6 are the exhaustions
      for (int i : new int[] {1, 3, 5}) {
        assertThat(r.vigil().detections().get(i).warnedAhead()).as(run + " fault " + i)
            .hasValueSatisfying(w -> assertThat(w.toSeconds()).isBetween(170L, 270L));
      }
    }
    var r15 = recorded("run15-precursors-c-seed9-predictor-heldout");
    assertThat(r15.vigil().detected()).isEqualTo(6);
    assertThat(r15.vigil().precision()).isCloseTo(0.54, within(0.01));
    assertThat(r15.thresholds().precision()).isCloseTo(0.55, within(0.01));
  }

  /** Held-out run 10, the predictor in arm B: sooner, but less precise than the rules. */
  @Test
  void heldOutRun10WithThePredictorVigilIsFasterButLessPrecise() throws Exception {
    var r = recorded("run10-faults-seed4-predictor-heldout");

    assertThat(r.thresholds().detected()).isEqualTo(3);
    assertThat(r.vigil().detected()).isEqualTo(3);
    assertThat(r.thresholds().meanTimeToDetect().toSeconds()).isEqualTo(96);
    assertThat(r.vigil().meanTimeToDetect().toSeconds()).isEqualTo(4);
    assertThat(r.vigil().precision()).isLessThan(r.thresholds().precision());
  }

  /**
   * Run 10 replayed from its journal with and without the failure predictor's records. The
   * predictor was live because it was the first model in an empty registry; the skill gate added
   * since (its F1 0.174 on its test rows against 0.346 for alarming on every row) would have
   * kept it out, so the run without its records is what the current vigil-train would have
   * left running.
   */
  @Test
  void heldOutRun10ReplayedWithoutThePredictorTheSkillGateWouldHaveRefused() throws Exception {
    Path dir = Path.of("src/test/resources/faults/run10-faults-seed4-predictor-heldout");
    var all = AnomalyJournal.read(dir.resolve("anomalies.jsonl"));
    var withPredictor = abOn(dir, AnomalyReplay.replay(all, Duration.ofMinutes(1),
        new OpeningConfig(), store.resolve("with")).incidents());
    var without = abOn(dir, AnomalyReplay.replay(all.stream()
        .filter(x -> !"failure_prediction".equals(x.evidence().kind())).toList(),
        Duration.ofMinutes(1), new OpeningConfig(), store.resolve("without")).incidents());
    System.out.println("run 10 replayed with the predictor's records:");
    ThresholdABEvaluation.print(withPredictor, System.out);
    System.out.println("run 10 replayed without them:");
    ThresholdABEvaluation.print(without, System.out);

    // The predictor's records cost false pages ...
    assertThat(without.vigil().falseAlerts()).isLessThan(withPredictor.vigil().falseAlerts());
    assertThat(without.vigil().precision()).isGreaterThan(withPredictor.vigil().precision());
    // ... but without them the bar still fails on this run: less precise than the rules.
    assertThat(without.vigil().detected()).isEqualTo(2);
    assertThat(without.vigil().precision()).isLessThan(without.thresholds().precision());
    assertThat(without.vigil().meanTimeToDetect()).isLessThanOrEqualTo(
        without.thresholds().meanTimeToDetect().dividedBy(2));
  }

  private static ThresholdABEvaluation.Result abOn(Path dir, List<IncidentRow> incidents)
      throws Exception {
    JsonNode saved = new ObjectMapper().readTree(dir.resolve("threshold-alerts.json").toFile());
    return ThresholdABEvaluation.evaluate(FaultLabel.read(dir.resolve("faults.jsonl")),
        PrometheusAlerts.episodes(saved.get("query_range"), Duration.ofSeconds(5),
            "exported_job"), incidents,
        Instant.parse(saved.get("from").asText()), Instant.parse(saved.get("to").asText()));
  }

  @Test
  void withoutTheFaultInjectorsOwnCallsVigilStillDetectsSoonerAndMorePrecisely()
      throws Exception {
    // Vigil's arm replayed from the run's journal without the records of the injector's own
    // /admin/faults calls (see RecordedDemoRunsTest): the honest B arm of run 6.
    var records = AnomalyJournal.read(RUN.resolve("anomalies.jsonl")).stream()
        .filter(x -> x.evidence().series() == null
            || !x.evidence().series().contains("/admin/")).toList();
    List<IncidentRow> incidents = AnomalyReplay.replay(records, Duration.ofMinutes(1),
        new OpeningConfig(), store).incidents();
    JsonNode saved = new ObjectMapper().readTree(RUN.resolve("threshold-alerts.json").toFile());
    var r = ThresholdABEvaluation.evaluate(FaultLabel.read(RUN.resolve("faults.jsonl")),
        PrometheusAlerts.episodes(saved.get("query_range"), Duration.ofSeconds(5),
            "exported_job"), incidents,
        Instant.parse(saved.get("from").asText()), Instant.parse(saved.get("to").asText()));
    ThresholdABEvaluation.print(r, System.out);

    assertThat(r.vigil().detections()).extracting(d -> d.first() != null)
        .containsExactly(true, false, true, true, true, false, true);
    assertThat(r.vigil().meanTimeToDetect()).isLessThanOrEqualTo(
        r.thresholds().meanTimeToDetect().dividedBy(2));
    assertThat(r.vigil().precision()).isGreaterThanOrEqualTo(r.thresholds().precision());
  }
}
