package io.vigil.analysis.training;

import io.vigil.analysis.onnx.OnnxModel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class TreeEnsembleOnnxTest {

  private static final List<String> NAMES = List.of("load", "latency_trend", "n2", "n3", "n4",
      "n5", "n6", "n7", "n8", "n9");

  /** Training data with a tenth of two features missing, so splits learn where NaN goes. */
  private static FailureData withGaps(int n, long seed) {
    FailureData d = FailureData.generate(n, seed);
    Random r = new Random(seed + 100);
    for (double[] row : d.x) {
      if (r.nextDouble() < 0.1) {
        row[0] = Double.NaN;
      }
      if (r.nextDouble() < 0.1) {
        row[2] = Double.NaN;
      }
    }
    return d;
  }

  /**
   * Rows to score both ways: fresh rows with a tenth of all values NaN, then for each split in
   * the first trees a row holding exactly its threshold and one holding the float just below.
   * Values are floats already, so Java and onnxruntime see the same numbers.
   */
  private static double[][] probe(List<DecisionTree> trees) {
    Random r = new Random(7);
    double[][] fresh = FailureData.generate(2000, 8).x;
    List<double[]> rows = new ArrayList<>();
    for (double[] row : fresh) {
      for (int j = 0; j < row.length; j++) {
        row[j] = r.nextDouble() < 0.1 ? Double.NaN : (float) row[j];
      }
      rows.add(row);
    }
    int atThreshold = 0;
    for (DecisionTree t : trees.subList(0, Math.min(20, trees.size()))) {
      for (int n = 0; n < t.size(); n++) {
        if (t.feature[n] < 0) {
          continue;
        }
        double[] at = fresh[r.nextInt(fresh.length)].clone();
        at[t.feature[n]] = t.threshold[n];
        double[] below = at.clone();
        below[t.feature[n]] = Math.nextDown(t.threshold[n]);
        rows.add(at);
        rows.add(below);
        atThreshold++;
      }
    }
    assertThat(atThreshold).as("splits probed at their thresholds").isGreaterThan(100);
    return rows.toArray(double[][]::new);
  }

  private static void assertOnnxruntimeAgrees(byte[] model, double[][] rows,
      ToDoubleFunction<double[]> java) {
    float[][] asFloat = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      asFloat[i] = new float[rows[i].length];
      for (int j = 0; j < rows[i].length; j++) {
        asFloat[i][j] = (float) rows[i][j];
      }
    }
    try (OnnxModel onnx = OnnxModel.load(model, "tree ensemble")) {
      float[] scores = onnx.score(asFloat);
      for (int i = 0; i < rows.length; i++) {
        // One row routed differently in one tree would move its score by far more than 1e-5.
        assertThat((double) scores[i]).as("row %d", i)
            .isCloseTo(java.applyAsDouble(rows[i]), within(1e-5));
      }
    }
  }

  private static void assertBothNaNRoutesUsed(List<DecisionTree> trees) {
    long left = 0;
    long right = 0;
    for (DecisionTree t : trees) {
      for (int n = 0; n < t.size(); n++) {
        if (t.feature[n] >= 0) {
          left += t.missingLeft[n] ? 1 : 0;
          right += t.missingLeft[n] ? 0 : 1;
        }
      }
    }
    assertThat(left).isPositive();
    assertThat(right).isPositive();
  }

  @Test
  void onnxruntimeGivesTheBoostedProbabilitiesJavaComputes() {
    FailureData train = withGaps(5000, 1);
    GradientBoostedTrees model = GradientBoostedTrees.fit(train.x, train.y,
        new GradientBoostedTrees.Settings(80, 5, 0.1, 10, 0.8, 1.0, 255, 3));
    assertBothNaNRoutesUsed(model.trees());
    assertOnnxruntimeAgrees(TreeEnsembleOnnx.write(model, NAMES, 0.5), probe(model.trees()),
        model::probability);
  }

  @Test
  void onnxruntimeGivesTheForestProbabilitiesJavaComputes() {
    FailureData train = withGaps(5000, 2);
    RandomForestClassifier model = RandomForestClassifier.fit(train.x, train.y,
        RandomForestClassifier.Settings.defaults().withTrees(40));
    assertBothNaNRoutesUsed(model.trees());
    assertOnnxruntimeAgrees(TreeEnsembleOnnx.write(model, NAMES, 0.5), probe(model.trees()),
        model::probability);
  }

  @Test
  void theModelLoadsAsAnyOnnxModelWithItsThresholdFeaturesAndTraining() {
    FailureData train = FailureData.generate(1000, 3);
    GradientBoostedTrees model = GradientBoostedTrees.fit(train.x, train.y,
        GradientBoostedTrees.Settings.defaults().withTrees(25).withMaxDepth(3));
    byte[] bytes = TreeEnsembleOnnx.write(model, NAMES, 0.35,
        Map.of("vigil.training.labels", "incidents 2025-01..2025-06"));
    try (OnnxModel onnx = OnnxModel.load(bytes, "failure.onnx")) {
      assertThat(onnx.features()).isEqualTo(10);
      assertThat(onnx.metadata())
          .containsEntry("vigil.threshold", "0.35")
          .containsEntry("vigil.features", String.join(",", NAMES))
          .containsEntry("vigil.scaling", "none")
          .containsEntry("vigil.model.kind", "gradient_boosted_trees")
          .containsEntry("vigil.trees", "25")
          .containsEntry("vigil.max_depth", "3")
          .containsEntry("vigil.learning_rate", "0.1")
          .containsEntry("vigil.training.rows", "1000")
          .containsEntry("vigil.training.positives",
              Integer.toString(model.trainingPositives()))
          .containsEntry("vigil.training.labels", "incidents 2025-01..2025-06");
      assertThat(onnx.score(new float[][] {new float[10]})[0]).isBetween(0f, 1f);
    }
    RandomForestClassifier forest = RandomForestClassifier.fit(train.x, train.y,
        RandomForestClassifier.Settings.defaults().withTrees(5));
    try (OnnxModel onnx = OnnxModel.load(TreeEnsembleOnnx.write(forest, NAMES, 0.6), "rf")) {
      assertThat(onnx.metadata()).containsEntry("vigil.model.kind", "random_forest")
          .containsEntry("vigil.threshold", "0.6").containsEntry("vigil.trees", "5");
    }
  }

  @Test
  void metadataThatWouldMisleadIsRefused() {
    FailureData train = FailureData.generate(300, 4);
    GradientBoostedTrees model = GradientBoostedTrees.fit(train.x, train.y,
        GradientBoostedTrees.Settings.defaults().withTrees(2));
    assertThatThrownBy(() -> TreeEnsembleOnnx.write(model, NAMES.subList(0, 9), 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("9 feature names for a model of 10 features");
    List<String> comma = new ArrayList<>(NAMES);
    comma.set(3, "a,b");
    assertThatThrownBy(() -> TreeEnsembleOnnx.write(model, comma, 0.5))
        .hasMessage("feature name \"a,b\" cannot go into the comma-separated vigil.features");
    assertThatThrownBy(() -> TreeEnsembleOnnx.write(model, NAMES, 1.5))
        .hasMessage("threshold is 1.5, must be a probability in [0, 1]");
    assertThatThrownBy(() -> TreeEnsembleOnnx.write(model, NAMES, 0.5,
        Map.of("vigil.threshold", "0.1")))
        .hasMessage("metadata key vigil.threshold is written from the model");
  }
}
