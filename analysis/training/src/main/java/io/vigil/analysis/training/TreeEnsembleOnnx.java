package io.vigil.analysis.training;

import io.vigil.analysis.onnx.OnnxModel;

import static io.vigil.analysis.training.OnnxProtos.floatTensor;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link GradientBoostedTrees} or {@link RandomForestClassifier} as a standard ONNX
 * model with the signature {@link OnnxModel} accepts: input {@code features} float
 * [batch, n] of raw feature values (trees need no scaling), output {@code probability} float
 * [batch, 1]. Boosting is an {@code ai.onnx.ml} TreeEnsembleRegressor summing the leaves onto
 * the base score, then Sigmoid; a forest is the same ensemble averaging its leaves. Every split
 * is BRANCH_LT on the float threshold the Java model compares against, and NaN follows
 * {@code nodes_missing_value_tracks_true}, so onnxruntime routes each row as Java does.
 *
 * <p>Metadata: {@code vigil.features} (names, comma-separated, in input order),
 * {@code vigil.threshold} (probability from which to alarm), {@code vigil.scaling}
 * ({@code none}), {@code vigil.model.kind}, {@code vigil.output}, and training settings and
 * sizes under {@code vigil.trees}, {@code vigil.max_depth}, {@code vigil.training.*}.
 */
public final class TreeEnsembleOnnx {

  public static final String INPUT = "features";
  public static final String OUTPUT = "probability";

  private TreeEnsembleOnnx() {}

  public static byte[] write(GradientBoostedTrees model, List<String> featureNames,
      double threshold) {
    return write(model, featureNames, threshold, Map.of());
  }

  /**
   * @param extra further metadata, e.g. where the training labels came from; may not replace
   *     a key the writer sets
   */
  public static byte[] write(GradientBoostedTrees model, List<String> featureNames,
      double threshold, Map<String, String> extra) {
    GradientBoostedTrees.Settings s = model.settings();
    Map<String, String> metadata = metadata(featureNames, model.features(), threshold,
        "gradient_boosted_trees", model.trees().size(), s.maxDepth(), model.trainingRows(),
        model.trainingPositives());
    metadata.put("vigil.learning_rate", Double.toString(s.learningRate()));
    metadata.put("vigil.subsample", Double.toString(s.subsample()));
    metadata.put("vigil.min_samples_leaf", Integer.toString(s.minSamplesLeaf()));
    addExtra(metadata, extra);
    GraphProto graph = GraphProto.newBuilder().setName("vigil_gradient_boosted_trees")
        .addNode(ensemble(model.trees(), "SUM", model.baseScore(), "log_odds"))
        .addNode(NodeProto.newBuilder().setOpType("Sigmoid").setName("to_probability")
            .addInput("log_odds").addOutput(OUTPUT))
        .addInput(floatTensor(INPUT, model.features()))
        .addOutput(floatTensor(OUTPUT, 1))
        .build();
    return OnnxProtos.model(graph,
        "Gradient-boosted trees: probability of the positive class (failure) from raw features",
        metadata);
  }

  public static byte[] write(RandomForestClassifier model, List<String> featureNames,
      double threshold) {
    return write(model, featureNames, threshold, Map.of());
  }

  /**
   * @param extra further metadata; may not replace a key the writer sets
   */
  public static byte[] write(RandomForestClassifier model, List<String> featureNames,
      double threshold, Map<String, String> extra) {
    RandomForestClassifier.Settings s = model.settings();
    Map<String, String> metadata = metadata(featureNames, model.features(), threshold,
        "random_forest", model.trees().size(), s.maxDepth(), model.trainingRows(),
        model.trainingPositives());
    metadata.put("vigil.min_samples_leaf", Integer.toString(s.minSamplesLeaf()));
    metadata.put("vigil.features_per_split", Integer.toString(s.featuresPerSplit()));
    addExtra(metadata, extra);
    GraphProto graph = GraphProto.newBuilder().setName("vigil_random_forest")
        .addNode(ensemble(model.trees(), "AVERAGE", 0f, OUTPUT))
        .addInput(floatTensor(INPUT, model.features()))
        .addOutput(floatTensor(OUTPUT, 1))
        .build();
    return OnnxProtos.model(graph,
        "Random forest: probability of the positive class (failure) from raw features",
        metadata);
  }

  private static Map<String, String> metadata(List<String> names, int features,
      double threshold, String kind, int trees, int maxDepth, int rows, int positives) {
    if (names.size() != features) {
      throw new IllegalArgumentException(names.size() + " feature names for a model of "
          + features + " features");
    }
    for (String name : names) {
      if (name.isEmpty() || name.contains(",")) {
        throw new IllegalArgumentException("feature name \"" + name
            + "\" cannot go into the comma-separated vigil.features");
      }
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold is " + threshold
          + ", must be a probability in [0, 1]");
    }
    Map<String, String> m = new LinkedHashMap<>();
    m.put("vigil.features", String.join(",", names));
    m.put("vigil.threshold", Double.toString(threshold));
    m.put("vigil.scaling", "none");
    m.put("vigil.model.kind", kind);
    m.put("vigil.output", "probability");
    m.put("vigil.trees", Integer.toString(trees));
    m.put("vigil.max_depth", Integer.toString(maxDepth));
    m.put("vigil.training.rows", Integer.toString(rows));
    m.put("vigil.training.positives", Integer.toString(positives));
    return m;
  }

  private static void addExtra(Map<String, String> metadata, Map<String, String> extra) {
    extra.forEach((k, v) -> {
      if (metadata.containsKey(k)) {
        throw new IllegalArgumentException("metadata key " + k + " is written from the model");
      }
      metadata.put(k, v);
    });
  }

  private static NodeProto ensemble(List<DecisionTree> trees, String aggregate, float base,
      String output) {
    TreeEnsembleNode ensemble = new TreeEnsembleNode();
    for (int t = 0; t < trees.size(); t++) {
      DecisionTree tree = trees.get(t);
      for (int n = 0; n < tree.size(); n++) {
        if (tree.feature[n] < 0) {
          ensemble.leaf(t, n, tree.value[n]);
        } else {
          ensemble.branch(t, n, tree.feature[n], tree.threshold[n], tree.left[n], tree.right[n],
              tree.missingLeft[n]);
        }
      }
    }
    return ensemble.build("trees", INPUT, output, aggregate, base);
  }
}
