package io.vigil.analysis.training;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.Map;

/**
 * ONNX models for the tests, written from the ONNX operator spec with the ONNX protobuf
 * classes (no PyTorch here): an LSTM sequence model shaped like a PyTorch export, and small
 * models with signatures the anomaly processor must refuse.
 */
public final class SequenceModels {

  private SequenceModels() {}

  /**
   * A one-layer LSTM (hidden size {@link #H}) then a linear layer and a sigmoid: the weights
   * and a plain Java implementation of the ONNX LSTM equations (gate order i, o, f, c; default
   * activations sigmoid, tanh, tanh; no peepholes) to check onnxruntime against.
   *
   * <p>The weights make the score follow the magnitude of the window's last value: the forget
   * gate is mostly shut, units 0 and 1 fire on a large positive and a large negative input.
   */
  static final int H = 4;

  /** Input weights W [4H, 1], gates i, o, f, c. */
  static final float[] W = {
      0.2f, -0.1f, 0.3f, 0.1f,     // i
      0.1f, 0.2f, -0.2f, 0.1f,     // o
      0.1f, -0.1f, 0.2f, 0.0f,     // f
      1.0f, -1.0f, 0.5f, -0.3f};   // c
  /** Input biases Wb [4H] and recurrence biases Rb [4H]: ONNX adds both. */
  static final float[] WB = {
      2.5f, 2.5f, 2.5f, 2.5f,
      2.5f, 2.5f, 2.5f, 2.5f,
      -2.0f, -2.0f, -2.0f, -2.0f,
      -3.0f, -3.0f, 0.0f, 0.2f};
  static final float[] RB = new float[4 * H];
  /** Recurrence weights R [4H, H]. */
  static final float[][] R = new float[4 * H][H];
  /** The linear layer after the last hidden state: [H, 1] and its bias. */
  static final float[] OUT = {1.5f, 1.5f, 0.2f, -0.2f};
  static final float OUT_BIAS = 1.5f;

  static {
    for (int r = 0; r < 4 * H; r++) {
      RB[r] = 0.05f * (r % 3) - 0.05f;
      for (int c = 0; c < H; c++) {
        R[r][c] = (float) (0.15 * Math.sin(1 + 4 * r + c));
      }
    }
  }

  /** The model's score of one window (oldest value first), computed in Java. */
  public static double lstmScore(float[] window) {
    double[] h = new double[H];
    double[] c = new double[H];
    for (float x : window) {
      double[][] gate = new double[4][H];
      for (int g = 0; g < 4; g++) {
        for (int k = 0; k < H; k++) {
          int row = g * H + k;
          double pre = W[row] * (double) x + WB[row] + RB[row];
          for (int j = 0; j < H; j++) {
            pre += R[row][j] * h[j];
          }
          gate[g][k] = pre;
        }
      }
      for (int k = 0; k < H; k++) {
        double i = sigmoid(gate[0][k]);
        double o = sigmoid(gate[1][k]);
        double f = sigmoid(gate[2][k]);
        double candidate = Math.tanh(gate[3][k]);
        c[k] = f * c[k] + i * candidate;
        h[k] = o * Math.tanh(c[k]);
      }
    }
    double logit = OUT_BIAS;
    for (int k = 0; k < H; k++) {
      logit += OUT[k] * h[k];
    }
    return sigmoid(logit);
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** How to shape the LSTM model's signature. */
  public record Shape(boolean timeMajor, long batch, boolean hiddenStateOutputFirst) {
    static final Shape PYTORCH = new Shape(false, -1, false);
  }

  /**
   * The LSTM over windows of n values: input {@code window} [batch, n, 1], transposed to
   * time-major as {@code torch.onnx.export} does for {@code batch_first=True}, then LSTM,
   * its last hidden state Y_h squeezed to [batch, H], Gemm to [batch, 1], Sigmoid: output
   * {@code score} [batch, 1].
   */
  public static byte[] lstm(int n, Map<String, String> metadata) {
    return lstm(n, Shape.PYTORCH, metadata);
  }

  public static byte[] lstm(int n, Shape shape, Map<String, String> metadata) {
    GraphProto.Builder g = GraphProto.newBuilder().setName("vigil_test_lstm");
    String lstmInput = "window";
    if (!shape.timeMajor()) {
      g.addNode(NodeProto.newBuilder().setOpType("Transpose").setName("to_time_major")
          .addInput("window").addOutput("steps")
          .addAttribute(AttributeProto.newBuilder().setName("perm")
              .setType(AttributeProto.AttributeType.INTS).addInts(1).addInts(0).addInts(2)));
      lstmInput = "steps";
    }
    float[] bias = new float[8 * H];
    System.arraycopy(WB, 0, bias, 0, 4 * H);
    System.arraycopy(RB, 0, bias, 4 * H, 4 * H);
    float[] recurrence = new float[4 * H * H];
    for (int r = 0; r < 4 * H; r++) {
      System.arraycopy(R[r], 0, recurrence, r * H, H);
    }
    g.addNode(NodeProto.newBuilder().setOpType("LSTM").setName("lstm")
            .addInput(lstmInput).addInput("W").addInput("R").addInput("B")
            .addOutput("all_h").addOutput("last_h_3d")
            .addAttribute(AttributeProto.newBuilder().setName("hidden_size")
                .setType(AttributeProto.AttributeType.INT).setI(H)))
        .addNode(NodeProto.newBuilder().setOpType("Squeeze").setName("drop_direction")
            .addInput("last_h_3d").addInput("axis0").addOutput("last_h"))
        .addNode(NodeProto.newBuilder().setOpType("Gemm").setName("linear")
            .addInput("last_h").addInput("out_w").addInput("out_b").addOutput("logit"))
        .addNode(NodeProto.newBuilder().setOpType("Sigmoid").setName("to_score")
            .addInput("logit").addOutput("score"))
        .addInitializer(floats("W", W, 1, 4 * H, 1))
        .addInitializer(floats("R", recurrence, 1, 4 * H, H))
        .addInitializer(floats("B", bias, 1, 8 * H))
        .addInitializer(floats("out_w", OUT, H, 1))
        .addInitializer(floats("out_b", new float[] {OUT_BIAS}, 1))
        .addInitializer(TensorProto.newBuilder().setName("axis0")
            .setDataType(TensorProto.DataType.INT64.getNumber()).addDims(1).addInt64Data(0));
    long b = shape.batch();
    g.addInput(shape.timeMajor()
        ? tensor("window", TensorProto.DataType.FLOAT, n, b, 1)
        : tensor("window", TensorProto.DataType.FLOAT, b, n, 1));
    if (shape.hiddenStateOutputFirst()) {
      g.addOutput(tensor("last_h", TensorProto.DataType.FLOAT, b, H));
    }
    g.addOutput(tensor("score", TensorProto.DataType.FLOAT, b, 1));
    return model(g, metadata);
  }

  /**
   * A model with one input of the given type and shape (-1: symbolic) that averages it over
   * all axes but the first into a score [batch]: a valid model onnxruntime loads, with the
   * signature under test.
   */
  public static byte[] averaging(TensorProto.DataType type, long... dims) {
    return averaging(null, type, dims);
  }

  /** As {@link #averaging(TensorProto.DataType, long...)}, then {@code op} (e.g. Log). */
  public static byte[] averaging(String op, TensorProto.DataType type, long... dims) {
    AttributeProto.Builder axes = AttributeProto.newBuilder().setName("axes")
        .setType(AttributeProto.AttributeType.INTS);
    for (int a = 1; a < dims.length; a++) {
      axes.addInts(a);
    }
    GraphProto.Builder g = GraphProto.newBuilder().setName("vigil_test_average")
        .addNode(NodeProto.newBuilder().setOpType("Cast").setName("to_float")
            .addInput("window").addOutput("as_float")
            .addAttribute(AttributeProto.newBuilder().setName("to")
                .setType(AttributeProto.AttributeType.INT)
                .setI(TensorProto.DataType.FLOAT.getNumber())))
        .addNode(NodeProto.newBuilder().setOpType("ReduceMean").setName("average")
            .addInput("as_float").addOutput(op == null ? "score" : "mean").addAttribute(axes)
            .addAttribute(AttributeProto.newBuilder().setName("keepdims")
                .setType(AttributeProto.AttributeType.INT).setI(0)))
        .addInput(tensor("window", type, dims))
        .addOutput(tensor("score", TensorProto.DataType.FLOAT, dims[0]));
    if (op != null) {
      g.addNode(NodeProto.newBuilder().setOpType(op).setName("then")
          .addInput("mean").addOutput("score"));
    }
    return model(g, Map.of());
  }

  /**
   * A forecast model wrapped into a score, the way the README suggests: input [batch, n + 1, 1];
   * the first n steps forecast the last (here simply their mean), and the score is
   * {@code tanh(|last - forecast| / errorScale)}, output [batch].
   */
  public static byte[] forecastError(int n, float errorScale) {
    GraphProto.Builder g = GraphProto.newBuilder().setName("vigil_test_forecast")
        .addNode(slice("history", "zero", "n"))
        .addNode(slice("actual", "n", "n_plus_1"))
        .addNode(mean("history", "forecast"))
        .addNode(mean("actual", "last"))
        .addNode(NodeProto.newBuilder().setOpType("Sub").addInput("last").addInput("forecast")
            .addOutput("error"))
        .addNode(NodeProto.newBuilder().setOpType("Abs").addInput("error").addOutput("size"))
        .addNode(NodeProto.newBuilder().setOpType("Div").addInput("size").addInput("scale")
            .addOutput("scaled"))
        .addNode(NodeProto.newBuilder().setOpType("Tanh").addInput("scaled").addOutput("score"))
        .addInitializer(longs("zero", 0))
        .addInitializer(longs("n", n))
        .addInitializer(longs("n_plus_1", n + 1))
        .addInitializer(longs("axis1", 1))
        .addInitializer(floats("scale", new float[] {errorScale}))
        .addInput(tensor("window", TensorProto.DataType.FLOAT, -1, n + 1, 1))
        .addOutput(tensor("score", TensorProto.DataType.FLOAT, -1));
    return model(g, Map.of());
  }

  private static NodeProto slice(String out, String start, String end) {
    return NodeProto.newBuilder().setOpType("Slice").setName(out).addInput("window")
        .addInput(start).addInput(end).addInput("axis1").addOutput(out).build();
  }

  private static NodeProto mean(String in, String out) {
    return NodeProto.newBuilder().setOpType("ReduceMean").setName(out).addInput(in)
        .addOutput(out)
        .addAttribute(AttributeProto.newBuilder().setName("axes")
            .setType(AttributeProto.AttributeType.INTS).addInts(1).addInts(2))
        .addAttribute(AttributeProto.newBuilder().setName("keepdims")
            .setType(AttributeProto.AttributeType.INT).setI(0)).build();
  }

  private static TensorProto longs(String name, long value) {
    return TensorProto.newBuilder().setName(name)
        .setDataType(TensorProto.DataType.INT64.getNumber()).addDims(1).addInt64Data(value)
        .build();
  }

  private static byte[] model(GraphProto.Builder graph, Map<String, String> metadata) {
    ModelProto.Builder m = ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("vigil-test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .setGraph(graph);
    metadata.forEach((k, v) -> m.addMetadataProps(
        StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return m.build().toByteArray();
  }

  private static TensorProto floats(String name, float[] values, long... dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name)
        .setDataType(TensorProto.DataType.FLOAT.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    for (float v : values) {
      t.addFloatData(v);
    }
    return t.build();
  }

  private static ValueInfoProto tensor(String name, TensorProto.DataType type, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    boolean named = false;
    for (int i = 0; i < dims.length; i++) {
      shape.addDim(dims[i] < 0
          ? TensorShapeProto.Dimension.newBuilder().setDimParam(named ? "d" + i : "batch")
          : TensorShapeProto.Dimension.newBuilder().setDimValue(dims[i]));
      named |= dims[i] < 0;
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber())
            .setShape(shape))).build();
  }
}
