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
  void labelsOfAnotherServiceOnlyCannotTrainAndSaySo() throws Exception {
    Files.writeString(labels, "{\"service\":\"nobody\",\"start\":\"2027-01-15T08:15:00Z\","
        + "\"end\":\"2027-01-15T08:17:00Z\"}\n");
    assertThat(train()).isEqualTo(1);
    assertThat(err.toString()).contains("no training row is followed by a fault");
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
}
