package io.vigil.analysis.training;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Grows one least-squares regression tree over a {@link TrainingSet}'s bins: each split is the
 * one that most reduces the squared error of a per-row target around the children's means.
 * Gradient boosting fits the negative gradients this way (Friedman 2001); for a random forest
 * the target is the 0/1 label, and the reduction is then half the weighted Gini decrease, so
 * the same search serves both. Histograms per node make a split search linear in the node's
 * rows; rows with NaN are tried on both sides of every cut.
 */
final class TreeGrower {

  /** What a leaf holding {@code rows[from..to)} contributes. */
  interface LeafValue {
    double of(int[] rows, int from, int to);
  }

  private final TrainingSet data;
  private final int maxDepth;
  private final int minSamplesLeaf;
  private final int featuresPerSplit;
  private final SplittableRandom random;
  private final double[] binSum = new double[TrainingSet.MAX_BINS];
  private final int[] binCount = new int[TrainingSet.MAX_BINS];
  private final int[] featureOrder;

  /** Whether the feature being searched has any cut leaving both children big enough. */
  private boolean feasible;
  private double[] target;
  private LeafValue leafValue;
  private int nodes;
  private int[] feature;
  private float[] threshold;
  private int[] left;
  private int[] right;
  private boolean[] missingLeft;
  private float[] value;

  /**
   * @param featuresPerSplit how many features with a possible split each node weighs, drawn at
   *     random per node when fewer than all
   */
  TreeGrower(TrainingSet data, int maxDepth, int minSamplesLeaf, int featuresPerSplit,
      SplittableRandom random) {
    this.data = data;
    this.maxDepth = maxDepth;
    this.minSamplesLeaf = minSamplesLeaf;
    this.featuresPerSplit = Math.min(featuresPerSplit, data.features());
    this.random = random;
    this.featureOrder = new int[data.features()];
    for (int f = 0; f < featureOrder.length; f++) {
      featureOrder[f] = f;
    }
  }

  /**
   * Grows a tree on {@code rows[0..count)} (indices into the training set; repeats count
   * twice). Reorders that part of {@code rows}.
   */
  DecisionTree grow(double[] target, int[] rows, int count, LeafValue leafValue) {
    this.target = target;
    this.leafValue = leafValue;
    nodes = 0;
    int capacity = 64;
    feature = new int[capacity];
    threshold = new float[capacity];
    left = new int[capacity];
    right = new int[capacity];
    missingLeft = new boolean[capacity];
    value = new float[capacity];
    node(rows, 0, count, 0);
    return new DecisionTree(Arrays.copyOf(feature, nodes), Arrays.copyOf(threshold, nodes),
        Arrays.copyOf(left, nodes), Arrays.copyOf(right, nodes),
        Arrays.copyOf(missingLeft, nodes), Arrays.copyOf(value, nodes));
  }

  private int node(int[] rows, int from, int to, int depth) {
    int id = newNode();
    Split split = depth < maxDepth && to - from >= 2 * minSamplesLeaf
        ? bestSplit(rows, from, to) : null;
    if (split == null) {
      value[id] = (float) leafValue.of(rows, from, to);
      return id;
    }
    int mid = partition(rows, from, to, split);
    feature[id] = split.feature;
    threshold[id] = data.cuts[split.feature][split.cut];
    missingLeft[id] = split.missingLeft;
    int l = node(rows, from, mid, depth + 1);
    int r = node(rows, mid, to, depth + 1);
    left[id] = l;
    right[id] = r;
    return id;
  }

  private record Split(int feature, int cut, boolean missingLeft, double gain) {}

  private Split bestSplit(int[] rows, int from, int to) {
    int n = to - from;
    double sum = 0;
    double squares = 0;
    for (int k = from; k < to; k++) {
      double t = target[rows[k]];
      sum += t;
      squares += t * t;
    }
    double parent = sum * sum / n;
    // Gains at rounding-noise level, e.g. in a pure node, are no reason to split.
    double minGain = 1e-12 * squares;
    Split best = null;
    if (featuresPerSplit < featureOrder.length) {
      shuffle();
    }
    int weighed = 0;
    for (int k = 0; k < featureOrder.length && weighed < featuresPerSplit; k++) {
      int f = featureOrder[k];
      int bins = data.cuts[f].length + 1;
      if (bins < 2) {
        continue;
      }
      byte[] column = data.bins[f];
      Arrays.fill(binSum, 0, bins, 0);
      Arrays.fill(binCount, 0, bins, 0);
      double missingSum = 0;
      int missingCount = 0;
      for (int r = from; r < to; r++) {
        int i = rows[r];
        int b = column[i] & 0xFF;
        if (b == TrainingSet.MISSING) {
          missingSum += target[i];
          missingCount++;
        } else {
          binSum[b] += target[i];
          binCount[b]++;
        }
      }
      feasible = false;
      double leftSum = 0;
      int leftCount = 0;
      int present = n - missingCount;
      for (int j = 0; j < bins - 1; j++) {
        leftSum += binSum[j];
        leftCount += binCount[j];
        int rightCount = present - leftCount;
        if (rightCount == 0) {
          break;
        }
        if (leftCount == 0) {
          continue;
        }
        double rightSum = sum - missingSum - leftSum;
        if (missingCount == 0) {
          // No NaN seen here: a NaN later takes the way most training rows took.
          best = better(best, f, j, leftCount >= rightCount,
              leftSum, leftCount, rightSum, rightCount, parent, minGain);
        } else {
          best = better(best, f, j, true, leftSum + missingSum, leftCount + missingCount,
              rightSum, rightCount, parent, minGain);
          best = better(best, f, j, false, leftSum, leftCount,
              rightSum + missingSum, rightCount + missingCount, parent, minGain);
        }
      }
      if (feasible) {
        weighed++;
      }
    }
    return best;
  }

  private Split better(Split best, int f, int cut, boolean nanLeft, double leftSum,
      int leftCount, double rightSum, int rightCount, double parent, double minGain) {
    if (leftCount < minSamplesLeaf || rightCount < minSamplesLeaf) {
      return best;
    }
    feasible = true;
    double gain = leftSum * leftSum / leftCount + rightSum * rightSum / rightCount - parent;
    return gain > minGain && (best == null || gain > best.gain)
        ? new Split(f, cut, nanLeft, gain) : best;
  }

  /** Moves the rows going left to the front; returns where the right ones begin. */
  private int partition(int[] rows, int from, int to, Split split) {
    byte[] column = data.bins[split.feature];
    int lo = from;
    int hi = to - 1;
    while (lo <= hi) {
      int b = column[rows[lo]] & 0xFF;
      boolean goesLeft = b == TrainingSet.MISSING ? split.missingLeft : b <= split.cut;
      if (goesLeft) {
        lo++;
      } else {
        int tmp = rows[lo];
        rows[lo] = rows[hi];
        rows[hi--] = tmp;
      }
    }
    return lo;
  }

  private void shuffle() {
    for (int i = featureOrder.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = featureOrder[i];
      featureOrder[i] = featureOrder[j];
      featureOrder[j] = tmp;
    }
  }

  private int newNode() {
    if (nodes == feature.length) {
      int capacity = nodes * 2;
      feature = Arrays.copyOf(feature, capacity);
      threshold = Arrays.copyOf(threshold, capacity);
      left = Arrays.copyOf(left, capacity);
      right = Arrays.copyOf(right, capacity);
      missingLeft = Arrays.copyOf(missingLeft, capacity);
      value = Arrays.copyOf(value, capacity);
    }
    feature[nodes] = -1;
    left[nodes] = -1;
    right[nodes] = -1;
    return nodes++;
  }
}
