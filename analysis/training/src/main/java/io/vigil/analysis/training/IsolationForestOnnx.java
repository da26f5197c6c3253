package io.vigil.analysis.training;

import io.vigil.analysis.anomaly.IsolationForest;

import static io.vigil.analysis.training.OnnxProtos.floatTensor;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;
import java.util.Map;

/**
 * Writes an {@link IsolationForest} as a standard ONNX model: an {@code ai.onnx.ml}
 * TreeEnsembleRegressor whose leaves hold path lengths, averaged over the trees, then
 * {@code score = 2^(-mean / c(n))} as Mul and Exp. Input {@code features} is float
 * [batch, n] already scaled; output {@code score} is float [batch, 1]. How to scale the inputs,
 * the feature names and the alarm threshold travel in the model's metadata.
 */
public final class IsolationForestOnnx {

  public static final String INPUT = "features";
  public static final String OUTPUT = "score";

  private IsolationForestOnnx() {}

  public static byte[] write(IsolationForest forest, Map<String, String> metadata) {
    TreeEnsembleNode ensemble = new TreeEnsembleNode();
    List<IsolationForest.Tree> trees = forest.trees();
    for (int t = 0; t < trees.size(); t++) {
      IsolationForest.Tree tree = trees.get(t);
      for (int n = 0; n < tree.size(); n++) {
        if (tree.feature[n] < 0) {
          ensemble.leaf(t, n, (float) tree.leafPath[n]);
        } else {
          ensemble.branch(t, n, tree.feature[n], (float) tree.threshold[n], tree.left[n],
              tree.right[n], false);
        }
      }
    }
    float factor = (float) (-Math.log(2) / forest.normaliser());
    GraphProto graph = GraphProto.newBuilder().setName("vigil_isolation_forest")
        .addNode(ensemble.build("forest", INPUT, "mean_path", "AVERAGE", 0f))
        .addNode(NodeProto.newBuilder().setOpType("Mul").setName("scale")
            .addInput("mean_path").addInput("factor").addOutput("exponent"))
        .addNode(NodeProto.newBuilder().setOpType("Exp").setName("to_score")
            .addInput("exponent").addOutput(OUTPUT))
        .addInitializer(TensorProto.newBuilder().setName("factor")
            .setDataType(TensorProto.DataType.FLOAT.getNumber()).addFloatData(factor))
        .addInput(floatTensor(INPUT, forest.features()))
        .addOutput(floatTensor(OUTPUT, 1))
        .build();
    return OnnxProtos.model(graph, "Isolation Forest anomaly score of scaled metric features",
        metadata);
  }
}
