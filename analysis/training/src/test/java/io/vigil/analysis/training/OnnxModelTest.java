package io.vigil.analysis.training;

import io.vigil.analysis.onnx.InvalidModelException;
import io.vigil.analysis.onnx.OnnxModel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sequence models {@code [batch, n, 1]} in {@link OnnxModel}, against real onnxruntime. */
class OnnxModelTest {

  private static float[][] windows(int rows, int n, long seed) {
    Random r = new Random(seed);
    float[][] w = new float[rows][n];
    for (float[] row : w) {
      for (int j = 0; j < n; j++) {
        row[j] = (float) (2 * r.nextGaussian());
      }
    }
    return w;
  }

  private static float[] reversed(float[] w) {
    float[] r = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      r[i] = w[w.length - 1 - i];
    }
    return r;
  }

  @Test
  void anLstmOverBatchFirstWindowsScoresAsTheOnnxLstmEquationsSay() {
    float[][] rows = windows(300, 12, 1);
    try (OnnxModel m = OnnxModel.load(SequenceModels.lstm(12, Map.of()), "lstm.onnx")) {
      assertThat(m.layout()).isEqualTo(OnnxModel.Layout.BATCH_MAJOR);
      assertThat(m.features()).isEqualTo(12);
      assertThat(m.fixedBatch()).isZero();
      assertThat(m.scoreOutput()).isEqualTo("score");
      float[] scores = m.score(rows);
      int orderMatters = 0;
      for (int i = 0; i < rows.length; i++) {
        double expected = SequenceModels.lstmScore(rows[i]);
        assertThat((double) scores[i]).as("window %d", i).isCloseTo(expected, within(1e-5));
        // The check above only shows the order if the order changes the score.
        if (Math.abs(SequenceModels.lstmScore(reversed(rows[i])) - expected) > 1e-3) {
          orderMatters++;
        }
      }
      assertThat(orderMatters).isGreaterThan(rows.length * 9 / 10);
    }
  }

  @Test
  void theScoreFollowsTheMagnitudeOfTheLastStep() {
    float[] calm = new float[16];
    float[] spike = new float[16];
    float[] dip = new float[16];
    float[] spikeEarlier = new float[16];
    spike[15] = 6;
    dip[15] = -6;
    spikeEarlier[10] = 6;
    try (OnnxModel m = OnnxModel.load(SequenceModels.lstm(16, Map.of()), "lstm.onnx")) {
      float[] s = m.score(new float[][] {calm, spike, dip, spikeEarlier});
      assertThat(s[0]).isLessThan(0.5f);
      assertThat(s[1]).isGreaterThan(0.6f);
      assertThat(s[2]).isGreaterThan(0.6f);
      assertThat(s[3]).isLessThan(0.5f);
    }
  }

  @Test
  void aTimeMajorInputDeclaredInTheMetadataGetsTheSameScores() {
    float[][] rows = windows(50, 8, 2);
    byte[] timeMajor = SequenceModels.lstm(8, new SequenceModels.Shape(true, -1, false),
        Map.of(OnnxModel.INPUT_LAYOUT, "time_major"));
    try (OnnxModel m = OnnxModel.load(timeMajor, "tm.onnx")) {
      assertThat(m.layout()).isEqualTo(OnnxModel.Layout.TIME_MAJOR);
      assertThat(m.features()).isEqualTo(8);
      float[] scores = m.score(rows);
      for (int i = 0; i < rows.length; i++) {
        assertThat((double) scores[i]).as("window %d", i)
            .isCloseTo(SequenceModels.lstmScore(rows[i]), within(1e-5));
      }
    }
    // Undeclared, [8, batch, 1] reads as [batch, n, 1] with n symbolic: refused, with the hint.
    byte[] undeclared = SequenceModels.lstm(8, new SequenceModels.Shape(true, -1, false),
        Map.of());
    assertThatThrownBy(() -> OnnxModel.load(undeclared, "tm.onnx"))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("tm.onnx: input window has shape [8, -1, 1]")
        .hasMessageContaining("n (axis 1) is not fixed")
        .hasMessageContaining("vigil.input_layout=time_major");
    byte[] badLayout = SequenceModels.lstm(8, Map.of(OnnxModel.INPUT_LAYOUT, "columns"));
    assertThatThrownBy(() -> OnnxModel.load(badLayout, "x.onnx"))
        .hasMessageContaining("metadata vigil.input_layout is \"columns\"");
  }

  @Test
  void aFixedBatchSizeIsFedInRunsOfThatSize() {
    float[][] rows = windows(5, 6, 3);
    for (long batch : new long[] {1, 2, 8}) {
      byte[] fixed = SequenceModels.lstm(6, new SequenceModels.Shape(false, batch, false),
          Map.of());
      try (OnnxModel m = OnnxModel.load(fixed, "fixed.onnx")) {
        assertThat(m.fixedBatch()).isEqualTo(batch);
        float[] scores = m.score(rows);
        for (int i = 0; i < rows.length; i++) {
          assertThat((double) scores[i]).as("batch %d, window %d", batch, i)
              .isCloseTo(SequenceModels.lstmScore(rows[i]), within(1e-5));
        }
      }
    }
  }

  @Test
  void ofSeveralOutputsTheOneTheMetadataNamesIsTheScore() {
    float[][] rows = windows(20, 5, 4);
    var twoOutputs = new SequenceModels.Shape(false, -1, true);
    byte[] named = SequenceModels.lstm(5, twoOutputs,
        Map.of(OnnxModel.SCORE_OUTPUT, "score"));
    try (OnnxModel m = OnnxModel.load(named, "two.onnx")) {
      assertThat(m.scoreOutput()).isEqualTo("score");
      float[] scores = m.score(rows);
      for (int i = 0; i < rows.length; i++) {
        assertThat((double) scores[i]).isCloseTo(SequenceModels.lstmScore(rows[i]),
            within(1e-5));
      }
    }
    // Unnamed, the first output (the hidden state [batch, 4]) would be read: refused.
    assertThatThrownBy(() -> OnnxModel.load(SequenceModels.lstm(5, twoOutputs, Map.of()),
        "two.onnx"))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("two.onnx: output last_h has shape [-1, 4]")
        .hasMessageContaining("expected a score [batch, 1] or [batch]")
        .hasMessageContaining("metadata vigil.score_output names the score");
    assertThatThrownBy(() -> OnnxModel.load(SequenceModels.lstm(5, twoOutputs,
        Map.of(OnnxModel.SCORE_OUTPUT, "anomaly")), "two.onnx"))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("metadata vigil.score_output names \"anomaly\", but the outputs"
            + " are [last_h, score]");
  }

  @Test
  void aForecastModelFitsAsAScoreOfItsErrorOnTheWindowsLastValue() {
    float[][] rows = windows(40, 9, 5);
    rows[0] = new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1};
    rows[1] = new float[] {1, 1, 1, 1, 1, 1, 1, 1, 5};
    try (OnnxModel m = OnnxModel.load(SequenceModels.forecastError(8, 2f), "forecast.onnx")) {
      assertThat(m.features()).isEqualTo(9);
      float[] scores = m.score(rows);
      for (int i = 0; i < rows.length; i++) {
        double forecast = 0;
        for (int j = 0; j < 8; j++) {
          forecast += rows[i][j] / 8.0;
        }
        assertThat((double) scores[i]).as("window %d", i)
            .isCloseTo(Math.tanh(Math.abs(rows[i][8] - forecast) / 2), within(1e-5));
      }
      assertThat(scores[0]).isZero();
      assertThat((double) scores[1]).isCloseTo(Math.tanh(2), within(1e-6));
    }
  }

  @Test
  void wrongSignaturesAreRefusedNamingTheInputItsShapeAndWhatIsExpected() {
    String expected = "expected [batch, n] with a fixed n, or a sequence [batch, n, 1]";
    assertThatThrownBy(() -> OnnxModel.load(
        SequenceModels.averaging(DataType.INT64, -1, 8), "ints.onnx"))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("ints.onnx: input window is ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64"
            + " with shape [-1, 8]")
        .hasMessageContaining(expected);
    assertThatThrownBy(() -> OnnxModel.load(
        SequenceModels.averaging(DataType.FLOAT, -1, 8, 1, 1), "rank4.onnx"))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("rank4.onnx: input window has shape [-1, 8, 1, 1] (rank 4)")
        .hasMessageContaining(expected);
    assertThatThrownBy(() -> OnnxModel.load(
        SequenceModels.averaging(DataType.FLOAT, -1, -1, 1), "open.onnx"))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("open.onnx: input window has shape [-1, -1, 1]: the window"
            + " length n (axis 1) is not fixed")
        .hasMessageContaining(expected);
    assertThatThrownBy(() -> OnnxModel.load(
        SequenceModels.averaging(DataType.FLOAT, -1, 8, 2), "pairs.onnx"))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("pairs.onnx: input window has shape [-1, 8, 2]: 2 features per"
            + " step, but the processor feeds one value per step")
        .hasMessageContaining(expected);
    // The [batch, n] signature still loads, and scores a batch through the same path.
    try (OnnxModel m = OnnxModel.load(SequenceModels.averaging(DataType.FLOAT, -1, 3), "m")) {
      assertThat(m.layout()).isEqualTo(OnnxModel.Layout.MATRIX);
      assertThat(m.score(new float[][] {{1, 2, 3}, {3, 3, 6}})).containsExactly(2f, 4f);
    }
  }
}
