package io.vigil.analysis.training;

import static io.vigil.analysis.training.OnnxProtos.floats;
import static io.vigil.analysis.training.OnnxProtos.integer;
import static io.vigil.analysis.training.OnnxProtos.ints;
import static io.vigil.analysis.training.OnnxProtos.string;
import static io.vigil.analysis.training.OnnxProtos.strings;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects trees, node by node, into one {@code ai.onnx.ml} TreeEnsembleRegressor node with a
 * single target. Branches test {@code x < threshold} (BRANCH_LT), true going to the left child,
 * as the Java trees do, so both route every row alike.
 */
final class TreeEnsembleNode {

  private final List<Long> treeIds = new ArrayList<>();
  private final List<Long> nodeIds = new ArrayList<>();
  private final List<Long> featureIds = new ArrayList<>();
  private final List<Float> values = new ArrayList<>();
  private final List<String> modes = new ArrayList<>();
  private final List<Long> trueIds = new ArrayList<>();
  private final List<Long> falseIds = new ArrayList<>();
  private final List<Long> missingTrue = new ArrayList<>();
  private final List<Long> targetTree = new ArrayList<>();
  private final List<Long> targetNode = new ArrayList<>();
  private final List<Float> weights = new ArrayList<>();

  void branch(int tree, int node, int feature, float threshold, int left, int right,
      boolean missingLeft) {
    add(tree, node, feature, threshold, "BRANCH_LT", left, right, missingLeft);
  }

  void leaf(int tree, int node, float weight) {
    add(tree, node, 0, 0f, "LEAF", 0, 0, false);
    targetTree.add((long) tree);
    targetNode.add((long) node);
    weights.add(weight);
  }

  private void add(int tree, int node, int feature, float threshold, String mode, int left,
      int right, boolean missingLeft) {
    treeIds.add((long) tree);
    nodeIds.add((long) node);
    featureIds.add((long) feature);
    values.add(threshold);
    modes.add(mode);
    trueIds.add((long) left);
    falseIds.add((long) right);
    missingTrue.add(missingLeft ? 1L : 0L);
  }

  /** @param aggregate SUM or AVERAGE over the trees, to which {@code base} is then added */
  NodeProto build(String name, String input, String output, String aggregate, float base) {
    return NodeProto.newBuilder()
        .setOpType("TreeEnsembleRegressor").setDomain("ai.onnx.ml").setName(name)
        .addInput(input).addOutput(output)
        .addAttribute(ints("nodes_treeids", treeIds))
        .addAttribute(ints("nodes_nodeids", nodeIds))
        .addAttribute(ints("nodes_featureids", featureIds))
        .addAttribute(floats("nodes_values", values))
        .addAttribute(strings("nodes_modes", modes))
        .addAttribute(ints("nodes_truenodeids", trueIds))
        .addAttribute(ints("nodes_falsenodeids", falseIds))
        .addAttribute(ints("nodes_missing_value_tracks_true", missingTrue))
        .addAttribute(ints("target_treeids", targetTree))
        .addAttribute(ints("target_nodeids", targetNode))
        .addAttribute(ints("target_ids", targetTree.stream().map(x -> 0L).toList()))
        .addAttribute(floats("target_weights", weights))
        .addAttribute(floats("base_values", List.of(base)))
        .addAttribute(integer("n_targets", 1))
        .addAttribute(string("aggregate_function", aggregate))
        .build();
  }
}
