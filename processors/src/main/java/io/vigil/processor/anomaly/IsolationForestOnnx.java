package io.vigil.processor.anomaly;

import static io.vigil.processor.anomaly.OnnxProtos.floatTensor;
import static io.vigil.processor.anomaly.OnnxProtos.floats;
import static io.vigil.processor.anomaly.OnnxProtos.integer;
import static io.vigil.processor.anomaly.OnnxProtos.ints;
import static io.vigil.processor.anomaly.OnnxProtos.string;
import static io.vigil.processor.anomaly.OnnxProtos.strings;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
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
    List<Long> treeIds = new ArrayList<>();
    List<Long> nodeIds = new ArrayList<>();
    List<Long> featureIds = new ArrayList<>();
    List<Float> values = new ArrayList<>();
    List<String> modes = new ArrayList<>();
    List<Long> trueIds = new ArrayList<>();
    List<Long> falseIds = new ArrayList<>();
    List<Long> targetTree = new ArrayList<>();
    List<Long> targetNode = new ArrayList<>();
    List<Float> weights = new ArrayList<>();
    List<IsolationForest.Tree> trees = forest.trees();
    for (int t = 0; t < trees.size(); t++) {
      IsolationForest.Tree tree = trees.get(t);
      for (int n = 0; n < tree.size(); n++) {
        boolean leaf = tree.feature[n] < 0;
        treeIds.add((long) t);
        nodeIds.add((long) n);
        featureIds.add(leaf ? 0L : tree.feature[n]);
        values.add(leaf ? 0f : (float) tree.threshold[n]);
        modes.add(leaf ? "LEAF" : "BRANCH_LT");
        trueIds.add(leaf ? 0L : tree.left[n]);
        falseIds.add(leaf ? 0L : tree.right[n]);
        if (leaf) {
          targetTree.add((long) t);
          targetNode.add((long) n);
          weights.add((float) tree.leafPath[n]);
        }
      }
    }
    NodeProto.Builder ensemble = NodeProto.newBuilder()
        .setOpType("TreeEnsembleRegressor").setDomain("ai.onnx.ml").setName("forest")
        .addInput(INPUT).addOutput("mean_path")
        .addAttribute(ints("nodes_treeids", treeIds))
        .addAttribute(ints("nodes_nodeids", nodeIds))
        .addAttribute(ints("nodes_featureids", featureIds))
        .addAttribute(floats("nodes_values", values))
        .addAttribute(strings("nodes_modes", modes))
        .addAttribute(ints("nodes_truenodeids", trueIds))
        .addAttribute(ints("nodes_falsenodeids", falseIds))
        .addAttribute(ints("target_treeids", targetTree))
        .addAttribute(ints("target_nodeids", targetNode))
        .addAttribute(ints("target_ids", targetTree.stream().map(x -> 0L).toList()))
        .addAttribute(floats("target_weights", weights))
        .addAttribute(integer("n_targets", 1))
        .addAttribute(string("aggregate_function", "AVERAGE"));
    float factor = (float) (-Math.log(2) / forest.normaliser());
    GraphProto graph = GraphProto.newBuilder().setName("vigil_isolation_forest")
        .addNode(ensemble)
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
