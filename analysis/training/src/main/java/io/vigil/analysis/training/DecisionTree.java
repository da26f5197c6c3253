package io.vigil.analysis.training;

/**
 * A fitted classification or regression tree in array form (node 0 is the root), shared by
 * {@link GradientBoostedTrees} and {@link RandomForestClassifier} and written node for node
 * into an ONNX tree ensemble by {@link TreeEnsembleOnnx}. Thresholds and leaf values are
 * floats, the precision of an ONNX tree ensemble over a float input.
 */
public final class DecisionTree {

  /** Feature a node splits on; -1 for a leaf. */
  public final int[] feature;
  /** A row goes left when its value, as a float, is below the threshold. */
  public final float[] threshold;
  public final int[] left;
  public final int[] right;
  /**
   * Where a NaN goes: the side the training rows with NaN at this node went, chosen with the
   * split because it fits them better; where training had no NaN at the node, the side most of
   * the node's rows went. In ONNX this is {@code nodes_missing_value_tracks_true}.
   */
  public final boolean[] missingLeft;
  /** A leaf's contribution to the ensemble's output. */
  public final float[] value;

  DecisionTree(int[] feature, float[] threshold, int[] left, int[] right,
      boolean[] missingLeft, float[] value) {
    this.feature = feature;
    this.threshold = threshold;
    this.left = left;
    this.right = right;
    this.missingLeft = missingLeft;
    this.value = value;
  }

  public int size() {
    return feature.length;
  }

  public int depth() {
    return depth(0);
  }

  private int depth(int node) {
    return feature[node] < 0 ? 0 : 1 + Math.max(depth(left[node]), depth(right[node]));
  }

  /** The leaf a row ends in. */
  public int leaf(double[] row) {
    int n = 0;
    while (feature[n] >= 0) {
      float v = (float) row[feature[n]];
      // Compared as float, as onnxruntime does, so an exported model routes every row alike.
      n = Float.isNaN(v) ? (missingLeft[n] ? left[n] : right[n])
          : v < threshold[n] ? left[n] : right[n];
    }
    return n;
  }

  public float predict(double[] row) {
    return value[leaf(row)];
  }
}
