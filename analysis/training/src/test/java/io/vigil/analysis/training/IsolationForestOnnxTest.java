package io.vigil.analysis.training;

import io.vigil.analysis.anomaly.IsolationForest;
import io.vigil.analysis.onnx.InvalidModelException;
import io.vigil.analysis.onnx.OnnxModel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsolationForestOnnxTest {

  private static double[][] rows(int n, int dims, long seed) {
    Random r = new Random(seed);
    double[][] rows = new double[n][dims];
    for (double[] row : rows) {
      for (int j = 0; j < dims; j++) {
        row[j] = r.nextGaussian() * (j + 1);
      }
    }
    return rows;
  }

  @Test
  void onnxruntimeGivesTheScoresTheTrainerComputes() {
    IsolationForest forest = IsolationForest.fit(rows(2000, 4, 1), 50, 256, 9);
    byte[] model = IsolationForestOnnx.write(forest, Map.of("vigil.threshold", "0.99",
        "vigil.features", "v0,v1,v2,v3", "vigil.center", "12.5", "vigil.scale", "3.25"));
    double[][] probe = rows(500, 4, 2);
    for (int i = 0; i < 20; i++) {
      probe[i][i % 4] += 15;
    }
    float[][] asFloat = new float[probe.length][4];
    for (int i = 0; i < probe.length; i++) {
      for (int j = 0; j < 4; j++) {
        asFloat[i][j] = (float) probe[i][j];
        probe[i][j] = asFloat[i][j];
      }
    }
    try (OnnxModel onnx = OnnxModel.load(model, "test model")) {
      assertThat(onnx.features()).isEqualTo(4);
      assertThat(onnx.metadata()).containsEntry("vigil.threshold", "0.99")
          .containsEntry("vigil.features", "v0,v1,v2,v3").containsEntry("vigil.scale", "3.25");
      float[] scores = onnx.score(asFloat);
      for (int i = 0; i < probe.length; i++) {
        assertThat((double) scores[i]).as("row %d", i).isCloseTo(forest.score(probe[i]),
            within(1e-5));
      }
    }
  }

  @Test
  void aFileThatIsNotAModelIsRefusedWithTheReason() {
    assertThatThrownBy(() -> OnnxModel.load("not a model".getBytes(), "broken.onnx"))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("broken.onnx is not a model onnxruntime can load");
  }

  @Test
  void aRowOfTheWrongWidthIsRefused() {
    IsolationForest forest = IsolationForest.fit(rows(100, 3, 1), 5, 64, 1);
    try (OnnxModel onnx = OnnxModel.load(IsolationForestOnnx.write(forest, Map.of()), "m")) {
      assertThatThrownBy(() -> onnx.score(new float[][] {{1, 2}}))
          .hasMessageContaining("row of 2 features, model takes 3");
    }
  }

  @Test
  void aModelWithTheWrongSignatureIsRefusedWithTheReason() throws Exception {
    IsolationForest forest = IsolationForest.fit(rows(100, 3, 1), 5, 64, 1);
    var model = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(
        IsolationForestOnnx.write(forest, Map.of()));
    var graph = model.getGraph().toBuilder();
    graph.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
        .getDimBuilder(1).clearDimValue().setDimParam("n");
    byte[] open = model.toBuilder().setGraph(graph).build().toByteArray();
    assertThatThrownBy(() -> OnnxModel.load(open, "open.onnx"))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("open.onnx: input features has shape [-1, -1]")
        .hasMessageContaining("expected [batch, n] with a fixed n");
  }
}
