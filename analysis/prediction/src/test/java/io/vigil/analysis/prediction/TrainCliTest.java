package io.vigil.analysis.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.analysis.onnx.OnnxModel;
import io.vigil.featurerows.ModelRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCliTest {

  @TempDir Path dir;
  private Path rows;
  private Path labels;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void data() throws Exception {
    rows = Files.createDirectories(dir.resolve("rows"));
    SyntheticRows.writeParquet(rows.resolve("featurerows-a.parquet"), 4, 1);
    labels = dir.resolve("faults.jsonl");
    SyntheticRows.writeLabels(labels, 4);
  }

  private int train(String... extra) {
    String[] base = {"--features", rows.toString(), "--labels", labels.toString(),
        "--registry", dir.resolve("registry").toString(), "--horizon", "5m", "--trees", "30"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return TrainCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void trainsSplitsByTimeAndPublishesModelWithItsEvaluation() throws Exception {
    assertThat(train()).as(err.toString()).isZero();
    ModelRegistry registry = new ModelRegistry(dir.resolve("registry"));
    ModelRegistry.Version v = registry.current("failure").orElseThrow();
    assertThat(v.version()).isEqualTo("v0001");
    JsonNode m = new ObjectMapper().readTree(v.metadataFile().toFile());
    assertThat(m.get("features").toString())
        .isEqualTo("[\"request_rate\",\"error_ratio\",\"latency_p95\"]");
    assertThat(m.get("window_seconds").asDouble()).isEqualTo(30);
    assertThat(m.get("horizon_seconds").asDouble()).isEqualTo(300);
    assertThat(m.at("/training/to").asText()).as("train before test")
        .isLessThan(m.at("/test/from").asText());
    assertThat(m.at("/evaluation/precision").asDouble()).isGreaterThan(0.8);
    assertThat(m.at("/evaluation/recall").asDouble()).isGreaterThan(0.8);
    assertThat(m.at("/evaluation/faults").asInt()).isPositive();
    assertThat(m.at("/evaluation/faults_predicted").asInt()).isEqualTo(m.at("/evaluation/faults").asInt());
    assertThat(m.at("/evaluation/median_lead_time_seconds").asDouble()).isBetween(150.0, 300.0);
    try (OnnxModel model = OnnxModel.load(Files.readAllBytes(v.modelFile()), "v0001")) {
      assertThat(model.features()).isEqualTo(3);
      assertThat(model.metadata()).containsEntry("vigil.features", "request_rate,error_ratio,latency_p95")
          .containsEntry(TrainingRun.HORIZON_SECONDS, "300.0");
    }
    assertThat(out.toString()).contains("precision").contains("now current");
  }

  @Test
  void aSecondRunIsANewVersionAndNoPromoteKeepsCurrent() throws Exception {
    assertThat(train()).isZero();
    assertThat(train("--no-promote", "--algorithm", "gradient_boosted_trees")).as(err.toString())
        .isZero();
    ModelRegistry registry = new ModelRegistry(dir.resolve("registry"));
    assertThat(registry.versions("failure")).containsExactly("v0001", "v0002");
    assertThat(registry.current("failure").orElseThrow().version()).isEqualTo("v0001");
  }

  @Test
  void splitsByRunWhenTestFilesAreGiven() throws Exception {
    Path held = Files.createDirectories(dir.resolve("held"));
    SyntheticRows.writeParquet(held.resolve("featurerows-b.parquet"), 4, 2);
    assertThat(train("--test-features", held.toString())).as(err.toString()).isZero();
    JsonNode m = new ObjectMapper().readTree(new ModelRegistry(dir.resolve("registry"))
        .current("failure").orElseThrow().metadataFile().toFile());
    assertThat(m.at("/split").asText()).startsWith("run");
    assertThat(m.at("/test/files/0").asText()).endsWith("featurerows-b.parquet");
  }

  @Test
  void testLabelsLabelOnlyTheTestRowsOfRunsThatOverlapInTime() throws Exception {
    Path held = Files.createDirectories(dir.resolve("held"));
    SyntheticRows.writeParquet(held.resolve("featurerows-b.parquet"), 4, 2);
    Path heldLabels = dir.resolve("held-faults.jsonl");
    Files.writeString(heldLabels, "{\"service\":\"payments\",\"start\":\"2027-01-15T08:15:00Z\","
        + "\"end\":\"2027-01-15T08:17:00Z\"}\n");
    assertThat(train("--test-features", held.toString())).as(err.toString()).isZero();
    assertThat(train("--test-features", held.toString(), "--test-labels", heldLabels.toString()))
        .as(err.toString()).isZero();
    ModelRegistry registry = new ModelRegistry(dir.resolve("registry"));
    JsonNode shared = metadata(registry, "v0001");
    JsonNode apart = metadata(registry, "v0002");
    assertThat(shared.at("/test/positives").asInt()).as("orders' faults every 20 minutes")
        .isGreaterThan(50);
    // The same rows labelled by their own run's faults only: payments' one fault, whose
    // 5-minute horizon covers 10 or 11 of its 30 s windows.
    assertThat(apart.at("/test/positives").asInt()).isBetween(10, 11);
    assertThat(apart.at("/test/labels/0").asText()).endsWith("held-faults.jsonl");
    assertThat(apart.at("/training/positives").asInt())
        .isEqualTo(shared.at("/training/positives").asInt());
    assertThat(train("--test-labels", heldLabels.toString())).isEqualTo(2);
  }

  @Test
  void labelsOfAnotherServiceOnlyCannotTrainAndSaySo() throws Exception {
    Files.writeString(labels, "{\"service\":\"nobody\",\"start\":\"2027-01-15T08:15:00Z\","
        + "\"end\":\"2027-01-15T08:17:00Z\"}\n");
    assertThat(train()).isEqualTo(1);
    assertThat(err.toString()).contains("no training row is followed by a fault");
  }

  @Test
  void columnsPicksTheFeaturesTrainedOnAndAnUnknownOneIsNamed() throws Exception {
    assertThat(train("--columns", "latency_p95,error_ratio")).as(err.toString()).isZero();
    ModelRegistry.Version v = new ModelRegistry(dir.resolve("registry")).current("failure")
        .orElseThrow();
    try (OnnxModel model = OnnxModel.load(Files.readAllBytes(v.modelFile()), "v0001")) {
      assertThat(model.metadata()).containsEntry("vigil.features", "latency_p95,error_ratio");
    }
    assertThat(train("--columns", "error_ratio,heap_floor")).isEqualTo(1);
    assertThat(err.toString()).contains("no feature column \"heap_floor\"")
        .contains("[request_rate, error_ratio, latency_p95]");
  }

  @Test
  void thresholdAutoIsChosenOnTheTrainingRowsAndRecorded() throws Exception {
    assertThat(train("--threshold", "auto")).as(err.toString()).isZero();
    JsonNode m = metadata(new ModelRegistry(dir.resolve("registry")), "v0001");
    assertThat(m.get("threshold_choice").asText()).contains("chosen on the training rows");
    double t = m.get("threshold").asDouble();
    assertThat(t).isBetween(0.05, 0.95);
    try (OnnxModel model = OnnxModel.load(Files.readAllBytes(new ModelRegistry(
        dir.resolve("registry")).current("failure").orElseThrow().modelFile()), "v0001")) {
      assertThat(Double.parseDouble(model.metadata().get("vigil.threshold"))).isEqualTo(t);
    }
    assertThat(out.toString()).contains("threshold " + m.get("threshold_choice").asText());
    assertThat(train("--threshold", "high")).isEqualTo(2);
    assertThat(err.toString()).contains("--threshold in [0, 1] or auto");
  }

  @Test
  void rowF1CountsAlarmsAtOrAboveTheThreshold() {
    float[] scores = {0.9f, 0.6f, 0.4f, 0.1f};
    boolean[] labels = {true, false, true, false};
    assertThat(ThresholdChoice.f1(scores, labels, 0.5)).as("tp 1, fp 1, fn 1")
        .isEqualTo(0.5);
    assertThat(ThresholdChoice.f1(scores, labels, 0.4)).as("tp 2, fp 1").isEqualTo(0.8);
    assertThat(ThresholdChoice.f1(scores, labels, 0.95)).isZero();
  }

  @Test
  void aBrokenLabelLineIsNamed() throws Exception {
    Files.writeString(labels, "{\"service\":\"orders\",\"start\":\"yesterday\",\"end\":\"x\"}\n");
    assertThat(train()).isEqualTo(1);
    assertThat(err.toString()).contains("faults.jsonl:1").contains("ISO-8601");
  }

  @Test
  void badUsageExitsWithTwo() {
    assertThat(train("--algorithm", "lstm")).isEqualTo(2);
    assertThat(TrainCli.run(new PrintWriter(out), new PrintWriter(err), "--labels", "x"))
        .isEqualTo(2);
  }

  @Test
  void aChallengerNoBetterThanTheChampionIsKeptAndOneBetterIsPromoted() throws Exception {
    // A champion that alarms only where every tree agrees: threshold 1 misses most faults.
    assertThat(train("--threshold", "1.0")).as(err.toString()).isZero();
    ModelRegistry registry = new ModelRegistry(dir.resolve("registry"));
    JsonNode first = metadata(registry, "v0001");
    assertThat(first.at("/challenge/decision").asText()).isEqualTo("promoted");
    assertThat(first.at("/evaluation/score_histogram")).hasSize(ScoreHistogram.BINS);

    assertThat(train()).as(err.toString()).isZero();
    JsonNode second = metadata(registry, "v0002");
    assertThat(second.at("/challenge/champion").asText()).isEqualTo("v0001");
    assertThat(second.at("/evaluation/f1").asDouble()).isGreaterThan(0.8)
        .isGreaterThan(second.at("/challenge/champion_evaluation/f1").asDouble());
    assertThat(second.at("/challenge/decision").asText()).isEqualTo("promoted");
    assertThat(registry.current("failure").orElseThrow().version()).isEqualTo("v0002");

    // The same data and seed train the same model: no better, so the champion stays.
    out.getBuffer().setLength(0);
    assertThat(train()).as(err.toString()).isZero();
    JsonNode third = metadata(registry, "v0003");
    assertThat(third.at("/challenge/decision").asText()).isEqualTo("kept v0002");
    assertThat(third.at("/challenge/reason").asText()).startsWith("not better");
    assertThat(third.at("/challenge/champion_trained_on_test_rows").asBoolean()).isFalse();
    assertThat(registry.current("failure").orElseThrow().version()).isEqualTo("v0002");
    // Same rows, same model: its scores have not drifted.
    assertThat(third.at("/challenge/champion_score_drift_psi").asDouble()).isLessThan(0.01);
    assertThat(out.toString()).contains("champion v0002").contains("not better on the test rows");
  }

  @Test
  void aModelWithoutSkillIsStoredButNeverMadeCurrent() throws Exception {
    // Faults on payments, whose rows carry no precursor: whatever the trees learn is noise.
    Files.writeString(labels, SyntheticRows.faultStarts(4).stream()
        .map(s -> "{\"service\":\"payments\",\"start\":\"" + s + "\",\"end\":\""
            + s.plusSeconds(120) + "\"}\n")
        .collect(java.util.stream.Collectors.joining()));
    assertThat(train()).as(err.toString()).isZero();
    ModelRegistry registry = new ModelRegistry(dir.resolve("registry"));
    assertThat(registry.versions("failure")).containsExactly("v0001");
    assertThat(registry.current("failure")).as("not even into an empty registry").isEmpty();
    JsonNode m = metadata(registry, "v0001");
    assertThat(m.at("/evaluation/f1").asDouble())
        .isLessThanOrEqualTo(m.at("/evaluation/always_alarm_f1").asDouble());
    assertThat(m.at("/challenge/decision").asText()).isEqualTo("kept nothing");
    assertThat(m.at("/challenge/reason").asText()).startsWith("no skill: F1");
    assertThat(out.toString()).contains("current unchanged: no skill");

    // The same rows with orders' faults, which have a precursor: promoted.
    SyntheticRows.writeLabels(labels, 4);
    assertThat(train()).as(err.toString()).isZero();
    assertThat(registry.current("failure").orElseThrow().version()).isEqualTo("v0002");
    JsonNode skilled = metadata(registry, "v0002");
    assertThat(skilled.at("/evaluation/f1").asDouble())
        .isGreaterThan(skilled.at("/evaluation/always_alarm_f1").asDouble());
  }

  @Test
  void falseAlarmFeedbackWeighsRowsUpAndResolvedIncidentsBecomeFailures() throws Exception {
    Path incidents = dir.resolve("incidents.json");
    Files.writeString(incidents, """
        {"incidents": [
          {"id": "a", "state": "resolved", "origin": "payments",
           "started_at": "2027-01-15T08:40:00Z", "last_evidence_at": "2027-01-15T08:42:00Z",
           "resolution": {"category": "false_alarm", "note": "a deploy", "at": "2027-01-15T09:00:00Z"}},
          {"id": "b", "state": "resolved", "origin": "payments",
           "started_at": "2027-01-15T09:10:00Z", "last_evidence_at": "2027-01-15T09:12:00Z",
           "resolution": {"category": "restart", "note": "", "at": "2027-01-15T09:30:00Z"}},
          {"id": "c", "state": "open", "origin": "payments",
           "started_at": "2027-01-15T09:50:00Z", "last_evidence_at": "2027-01-15T09:51:00Z"},
          {"id": "d", "state": "resolved", "origin": "payments",
           "started_at": "2027-01-15T10:10:00Z", "last_evidence_at": "2027-01-15T10:12:00Z",
           "resolution": {"category": "caused_elsewhere", "note": "orders", "at": "2027-01-15T10:30:00Z"}},
          {"id": "e", "state": "resolved", "origin": "orders",
           "started_at": "2027-01-15T08:13:00Z", "last_evidence_at": "2027-01-15T08:16:00Z",
           "resolution": {"category": "error_rate", "note": "", "at": "2027-01-15T08:30:00Z"}}
        ], "count": 5}
        """);
    assertThat(train()).as(err.toString()).isZero();
    int positivesWithout = metadata(new ModelRegistry(dir.resolve("registry")), "v0001")
        .at("/training/positives").asInt();
    assertThat(train("--feedback", incidents.toString())).as(err.toString()).isZero();
    JsonNode m = metadata(new ModelRegistry(dir.resolve("registry")), "v0002");
    assertThat(m.at("/feedback/false_alarms").asInt()).isEqualTo(1);
    assertThat(m.at("/feedback/incidents_as_failures").asInt())
        .as("the open one is not judged; the one caused elsewhere is no failure of payments")
        .isEqualTo(1);
    assertThat(m.at("/feedback/caused_elsewhere_left_out").asInt()).isEqualTo(1);
    assertThat(m.at("/feedback/failures_already_labelled").asInt())
        .as("orders' fault at 08:15 is labelled; its incident, opened 2 min before, adds nothing")
        .isEqualTo(1);
    // 08:40-08:42 less 5 minutes of horizon: the windows ending 08:35 .. 08:42:30.
    assertThat(m.at("/feedback/hard_negative_rows").asInt()).isBetween(14, 16);
    // Payments' rows in the 5 minutes before 09:10 are now positives.
    assertThat(m.at("/training/positives").asInt()).isGreaterThan(positivesWithout);
  }

  @Test
  void feedbackThatIsNotAnIncidentListIsNamed() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"items\": []}");
    assertThat(train("--feedback", bad.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("bad.json").contains("incidents API");
    Files.writeString(bad, "[{\"state\": \"resolved\", \"origin\": \"orders\"}]");
    assertThat(train("--feedback", bad.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("incidents[0]").contains("started_at");
  }

  private static JsonNode metadata(ModelRegistry registry, String version) throws Exception {
    return new ObjectMapper().readTree(registry.root().resolve("failure").resolve(version)
        .resolve(ModelRegistry.METADATA_FILE).toFile());
  }
}
