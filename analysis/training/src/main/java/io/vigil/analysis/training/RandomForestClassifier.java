package io.vigil.analysis.training;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Binary classifier by a random forest (Breiman 2001): CART trees, each on a bootstrap sample,
 * each split chosen by Gini decrease among a random subset of the features, leaves holding the
 * share of positive rows; the probability is the mean over the trees. Shares its trees, its
 * split search (on 0/1 labels least squares is Gini) and its ONNX form with
 * {@link GradientBoostedTrees}; a forest needs less tuning, boosting usually ranks better.
 */
public final class RandomForestClassifier {

  /**
   * @param trees trees in the forest
   * @param maxDepth splits from root to deepest leaf
   * @param minSamplesLeaf fewest rows of a tree's bootstrap sample in a leaf (repeats count)
   * @param featuresPerSplit features weighed at each split; 0 = the square root of the count
   * @param bins most bins per feature for split finding, 2..255
   * @param seed for the bootstrap samples and the features weighed
   */
  public record Settings(int trees, int maxDepth, int minSamplesLeaf, int featuresPerSplit,
      int bins, long seed) {

    public Settings {
      if (trees < 1) {
        throw new IllegalArgumentException("trees is " + trees + ", must be at least 1");
      }
      if (maxDepth < 1) {
        throw new IllegalArgumentException("maxDepth is " + maxDepth + ", must be at least 1");
      }
      if (minSamplesLeaf < 1) {
        throw new IllegalArgumentException("minSamplesLeaf is " + minSamplesLeaf
            + ", must be at least 1");
      }
      if (featuresPerSplit < 0) {
        throw new IllegalArgumentException("featuresPerSplit is " + featuresPerSplit
            + ", must be at least 0 (0 = square root of the feature count)");
      }
    }

    /** 100 trees of depth up to 12, 5 rows a leaf, sqrt(features) weighed per split. */
    public static Settings defaults() {
      return new Settings(100, 12, 5, 0, 255, 1);
    }

    public Settings withTrees(int n) {
      return new Settings(n, maxDepth, minSamplesLeaf, featuresPerSplit, bins, seed);
    }

    public Settings withSeed(long s) {
      return new Settings(trees, maxDepth, minSamplesLeaf, featuresPerSplit, bins, s);
    }
  }

  private final List<DecisionTree> trees;
  private final int features;
  private final Settings settings;
  private final int trainingRows;
  private final int trainingPositives;

  private RandomForestClassifier(List<DecisionTree> trees, int features, Settings settings,
      int trainingRows, int trainingPositives) {
    this.trees = List.copyOf(trees);
    this.features = features;
    this.settings = settings;
    this.trainingRows = trainingRows;
    this.trainingPositives = trainingPositives;
  }

  /**
   * @throws IllegalArgumentException naming what is wrong with the data: no rows, no features,
   *     ragged rows, labels not one per row, or labels of one class only
   */
  public static RandomForestClassifier fit(double[][] x, boolean[] y, Settings s) {
    TrainingSet data = TrainingSet.of(x, y, s.bins());
    int n = data.size();
    double[] label = new double[n];
    for (int i = 0; i < n; i++) {
      label[i] = y[i] ? 1 : 0;
    }
    int perSplit = s.featuresPerSplit() > 0 ? s.featuresPerSplit()
        : Math.max(1, (int) Math.round(Math.sqrt(data.features())));
    SplittableRandom random = new SplittableRandom(s.seed());
    TreeGrower grower = new TreeGrower(data, s.maxDepth(), s.minSamplesLeaf(), perSplit, random);
    TreeGrower.LeafValue positiveShare = (idx, from, to) -> {
      double sum = 0;
      for (int k = from; k < to; k++) {
        sum += label[idx[k]];
      }
      return sum / (to - from);
    };
    int[] rows = new int[n];
    List<DecisionTree> trees = new ArrayList<>(s.trees());
    for (int t = 0; t < s.trees(); t++) {
      for (int i = 0; i < n; i++) {
        rows[i] = random.nextInt(n);
      }
      trees.add(grower.grow(label, rows, n, positiveShare));
    }
    return new RandomForestClassifier(trees, data.features(), s, n, data.positives);
  }

  /** Probability of the positive class: the trees' mean leaf share. */
  public double probability(double[] row) {
    if (row.length != features) {
      throw new IllegalArgumentException("row of " + row.length + " features, model takes "
          + features);
    }
    double sum = 0;
    for (DecisionTree t : trees) {
      sum += t.predict(row);
    }
    return sum / trees.size();
  }

  public List<DecisionTree> trees() {
    return trees;
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
