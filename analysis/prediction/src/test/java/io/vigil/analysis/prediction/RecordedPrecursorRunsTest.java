package io.vigil.analysis.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure predictor of docs/evaluation.md, recomputed from the recorded demo runs
 * (resources precursor-runs/, README there): features and threshold chosen on training runs 13
 * and 14 (each trained on one, tested on the other), the model trained on both, and that model
 * tested on runs it never saw.
 */
class RecordedPrecursorRunsTest {

  private static final Path RUNS = Path.of("src/test/resources/precursor-runs");
  /** The shipped default features. */
  static final List<String> DEFAULTS = List.of("request_rate", "error_ratio", "latency_p95",
      "heap_used", "heap_limit", "cpu_utilization", "log_records_rate", "anomaly_score_max");
  /** The set chosen on runs 13 and 14: the defaults plus heap floor, old generation and GC. */
  static final List<String> CHOSEN = List.of("request_rate", "error_ratio", "latency_p95",
      "heap_used", "heap_limit", "cpu_utilization", "log_records_rate", "anomaly_score_max",
      "heap_floor", "heap_floor_change_2m", "heap_floor_change_5m", "heap_after_gc",
      "heap_after_gc_change_5m", "old_gen_used", "old_gen_used_change_2m",
      "old_gen_used_change_5m", "gc_rate", "gc_rate_change_5m");

  @TempDir Path registry;

  private static Path rows(String run) {
    return RUNS.resolve(run).resolve("rows.parquet");
  }

  private static Path labels(String run) {
    return RUNS.resolve(run).resolve("labels.jsonl");
  }

  private TrainingRun.Options crossRun(String train, String test, List<String> columns) {
    return new TrainingRun.Options(List.of(rows(train)), List.of(rows(test)),
        List.of(labels(test)), List.of(labels(train)), List.of(), 3, Duration.ofMinutes(5),
        TrainingRun.Algorithm.RANDOM_FOREST, 100, 8, 1, 0.3, 0.5, registry, "failure", false,
        columns);
  }

  private double f1(String train, String test, List<String> columns) throws Exception {
    return ChampionChallenge.f1(TrainingRun.run(crossRun(train, test, columns)).evaluation());
  }

  @Test
  void theChosenFeaturesBeatTheDefaultsBothWaysOnTheTrainingRuns() throws Exception {
    double chosen13 = f1("run13", "run14", CHOSEN);
    double chosen14 = f1("run14", "run13", CHOSEN);
    double defaults13 = f1("run13", "run14", DEFAULTS);
    double defaults14 = f1("run14", "run13", DEFAULTS);
    assertThat(chosen13).isGreaterThan(defaults13 + 0.2);
    assertThat(chosen14).isGreaterThan(defaults14 + 0.2);
    // About 0.24 for alarming on every row (50 positive of some 360).
    assertThat(Math.min(chosen13, chosen14)).isGreaterThan(0.5);
  }

  @Test
  void theModelTrainedOnBothTrainingRunsPassesTheSkillGateOnTheirLastThird() throws Exception {
    TrainingRun.Result r = TrainingRun.run(TrainingRun.Options.of(
        List.of(rows("run13"), rows("run14")), List.of(labels("run13"), labels("run14")),
        registry).withColumns(CHOSEN));
    Evaluation e = r.evaluation();
    assertThat(e.precision()).isCloseTo(0.519, offset(0.001));
    assertThat(e.recall()).isCloseTo(0.700, offset(0.001));
    assertThat(e.faultsPredicted()).isEqualTo(e.faults()).isEqualTo(2);
    assertThat(ChampionChallenge.f1(e)).isGreaterThan(e.alwaysAlarmF1());
    assertThat(r.challenge().promote()).isTrue();
  }

  private TrainingRun.Result championOn(String test) throws Exception {
    TrainingRun.run(TrainingRun.Options.of(List.of(rows("run13"), rows("run14")),
        List.of(labels("run13"), labels("run14")), registry).withColumns(CHOSEN));
    // A challenger scored on the test run scores the champion (v0001, current) there too.
    return TrainingRun.run(new TrainingRun.Options(List.of(rows("run13"), rows("run14")),
        List.of(rows(test)), List.of(labels(test)), List.of(labels("run13"), labels("run14")),
        List.of(), 3, Duration.ofMinutes(5), TrainingRun.Algorithm.RANDOM_FOREST, 100, 8, 1, 0.3,
        0.5, registry, "failure", false, CHOSEN));
  }

  @Test
  void theModelPredictsFiveOfSixFaultsMinutesAheadOnBothHeldOutRuns() throws Exception {
    for (String run : List.of("run15", "run16")) {
      TrainingRun.Result r = championOn(run);
      Evaluation champion = r.challenge().champion();
      assertThat(r.challenge().championSawTestRows()).isFalse();
      assertThat(ChampionChallenge.f1(champion)).as(run).isBetween(0.52, 0.55);
      assertThat(champion.alwaysAlarmF1()).as(run).isCloseTo(0.255, offset(0.001));
      assertThat(champion.precision()).as(run).isGreaterThan(0.56);
      assertThat(champion.faultsPredicted()).as(run).isEqualTo(5);
      assertThat(champion.faults()).isEqualTo(6);
      assertThat(champion.medianLeadTimeSeconds()).as(run).isBetween(200.0, 230.0);
    }
  }

  @Test
  void feedbackFromRun15TrainsAChallengerThatBeatsTheChampionOnRun16AndIsPromoted()
      throws Exception {
    TrainingRun.run(TrainingRun.Options.of(List.of(rows("run13"), rows("run14")),
        List.of(labels("run13"), labels("run14")), registry).withColumns(CHOSEN));
    TrainingRun.Result r = TrainingRun.run(new TrainingRun.Options(
        List.of(rows("run13"), rows("run14"), rows("run15")), List.of(rows("run16")),
        List.of(labels("run16")), List.of(labels("run13"), labels("run14"), labels("run15")),
        List.of(RUNS.resolve("run15/feedback.json")), 3, Duration.ofMinutes(5),
        TrainingRun.Algorithm.RANDOM_FOREST, 100, 8, 1, 0.3, 0.5, registry, "failure", true,
        CHOSEN));
    assertThat(r.hardNegatives()).as("rows before run 15's three false alarms").isEqualTo(33);
    assertThat(r.metadataJson()).contains("\"failures_already_labelled\" : 6")
        .contains("\"caused_elsewhere_left_out\" : 4");
    assertThat(ChampionChallenge.f1(r.evaluation())).isCloseTo(0.732, offset(0.001));
    assertThat(r.evaluation().faultsPredicted()).isEqualTo(6);
    assertThat(ChampionChallenge.f1(r.challenge().champion())).isCloseTo(0.521, offset(0.001));
    assertThat(r.challenge().promote()).isTrue();
    assertThat(r.challenge().drift()).as("PSI: the champion's scores have not shifted")
        .isLessThan(0.1);
    assertThat(new io.vigil.featurerows.ModelRegistry(registry).current("failure").orElseThrow()
        .version()).isEqualTo("v0002");
  }
}
