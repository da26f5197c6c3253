package io.vigil.analysis.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Binary classifier by gradient boosting (Friedman 2001, stochastic as in Friedman 2002) with
 * logistic loss: each tree is a least-squares regression tree fitted to the negative gradients
 * {@code y - p} of a random subsample, and each leaf then takes one Newton step,
 * {@code sum(y - p) / (sum(p (1 - p)) + l2)}, shrunk by the learning rate. The model's
 * log-odds are the base score (the training set's log-odds) plus the leaves a row reaches.
 * Meant for supervised failure prediction: trained offline on feature rows labelled by
 * incidents, written as ONNX by {@link TreeEnsembleOnnx}, scored like any model there.
 *
 * <p>Splits are found on at most {@code bins} quantile bins per feature ({@link TrainingSet}),
 * which is exact greedy search for features with fewer distinct values. A NaN is routed the way
 * its split learned (see {@link DecisionTree#missingLeft}).
 */
public final class GradientBoostedTrees {

  /**
   * @param trees boosting rounds
   * @param maxDepth splits from root to deepest leaf
   * @param learningRate shrinkage of each tree's leaves, in (0, 1]
   * @param minSamplesLeaf fewest (subsampled) training rows in a leaf
   * @param subsample fraction of rows drawn, without replacement, for each tree, in (0, 1]
   * @param l2 added to a leaf's hessian sum, so leaves of few or near-certain rows stay small
   * @param bins most bins per feature for split finding, 2..255
   * @param seed for the subsamples
   */
  public record Settings(int trees, int maxDepth, double learningRate, int minSamplesLeaf,
      double subsample, double l2, int bins, long seed) {

    public Settings {
      if (trees < 1) {
        throw new IllegalArgumentException("trees is " + trees + ", must be at least 1");
      }
      if (maxDepth < 1) {
        throw new IllegalArgumentException("maxDepth is " + maxDepth + ", must be at least 1");
      }
      if (!(learningRate > 0 && learningRate <= 1)) {
        throw new IllegalArgumentException("learningRate is " + learningRate
            + ", must be in (0, 1]");
      }
      if (minSamplesLeaf < 1) {
        throw new IllegalArgumentException("minSamplesLeaf is " + minSamplesLeaf
            + ", must be at least 1");
      }
      if (!(subsample > 0 && subsample <= 1)) {
        throw new IllegalArgumentException("subsample is " + subsample + ", must be in (0, 1]");
      }
      if (!(l2 >= 0)) {
        throw new IllegalArgumentException("l2 is " + l2 + ", must be at least 0");
      }
    }

    /** 100 trees of depth 4, learning rate 0.1, 20 rows a leaf, 80% subsamples, l2 1. */
    public static Settings defaults() {
      return new Settings(100, 4, 0.1, 20, 0.8, 1.0, 255, 1);
    }

    public Settings withTrees(int n) {
      return new Settings(n, maxDepth, learningRate, minSamplesLeaf, subsample, l2, bins, seed);
    }

    public Settings withMaxDepth(int d) {
      return new Settings(trees, d, learningRate, minSamplesLeaf, subsample, l2, bins, seed);
    }

    public Settings withSeed(long s) {
      return new Settings(trees, maxDepth, learningRate, minSamplesLeaf, subsample, l2, bins, s);
    }
  }

  private final List<DecisionTree> trees;
  private final float baseScore;
  private final int features;
  private final Settings settings;
  private final int trainingRows;
  private final int trainingPositives;

  private GradientBoostedTrees(List<DecisionTree> trees, float baseScore, int features,
      Settings settings, int trainingRows, int trainingPositives) {
    this.trees = List.copyOf(trees);
    this.baseScore = baseScore;
    this.features = features;
    this.settings = settings;
    this.trainingRows = trainingRows;
    this.trainingPositives = trainingPositives;
  }

  /**
   * @throws IllegalArgumentException naming what is wrong with the data: no rows, no features,
   *     ragged rows, labels not one per row, or labels of one class only
   */
  public static GradientBoostedTrees fit(double[][] x, boolean[] y, Settings s) {
    TrainingSet data = TrainingSet.of(x, y, s.bins());
    int n = data.size();
    double prior = (double) data.positives / n;
    float base = (float) Math.log(prior / (1 - prior));
    double[] margin = new double[n];
    Arrays.fill(margin, base);
    double[] gradient = new double[n];
    double[] hessian = new double[n];
    SplittableRandom random = new SplittableRandom(s.seed());
    TreeGrower grower = new TreeGrower(data, s.maxDepth(), s.minSamplesLeaf(),
        data.features(), random);
    int sampleSize = Math.max(1, (int) Math.round(s.subsample() * n));
    int[] rows = new int[n];
    TreeGrower.LeafValue newton = (idx, from, to) -> {
      double g = 0;
      double h = 0;
      for (int k = from; k < to; k++) {
        g += gradient[idx[k]];
        h += hessian[idx[k]];
      }
      return h + s.l2() > 0 ? s.learningRate() * g / (h + s.l2()) : 0;
    };
    List<DecisionTree> trees = new ArrayList<>(s.trees());
    for (int t = 0; t < s.trees(); t++) {
      for (int i = 0; i < n; i++) {
        double p = sigmoid(margin[i]);
        gradient[i] = (y[i] ? 1 : 0) - p;
        hessian[i] = p * (1 - p);
        rows[i] = i;
      }
      // A partial shuffle leaves a uniform sample without replacement in rows[0..sampleSize).
      if (sampleSize < n) {
        for (int i = 0; i < sampleSize; i++) {
          int j = i + random.nextInt(n - i);
          int tmp = rows[i];
          rows[i] = rows[j];
          rows[j] = tmp;
        }
      }
      DecisionTree tree = grower.grow(gradient, rows, sampleSize, newton);
      trees.add(tree);
      for (int i = 0; i < n; i++) {
        margin[i] += tree.predict(x[i]);
      }
    }
    return new GradientBoostedTrees(trees, base, data.features(), s, n, data.positives);
  }

  /** Probability of the positive class. */
  public double probability(double[] row) {
    return sigmoid(logOdds(row));
  }

  public double logOdds(double[] row) {
    if (row.length != features) {
      throw new IllegalArgumentException("row of " + row.length + " features, model takes "
          + features);
    }
    double sum = baseScore;
    for (DecisionTree t : trees) {
      sum += t.predict(row);
    }
    return sum;
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /** Trees whose leaf values, already shrunk, add up to the log-odds with the base score. */
  public List<DecisionTree> trees() {
    return trees;
  }

  public float baseScore() {
    return baseScore;
  }

  public int features() {
    return features;
  }

  public Settings settings() {
    return settings;
  }

  public int trainingRows() {
    return trainingRows;
  }

  public int trainingPositives() {
    return trainingPositives;
  }
}
