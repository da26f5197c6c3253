package io.vigil.analysis.anomaly;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Isolation Forest (Liu, Ting and Zhou, ICDM 2008): random axis-aligned splits isolate unusual
 * points in fewer steps, so a short average path over the trees means an anomaly. Trees are
 * flat arrays so they can be written out as an ONNX tree ensemble node for node.
 */
public final class IsolationForest {

  /** One tree in array form; node 0 is the root. */
  public static final class Tree {
    /** Feature a node splits on; -1 for a leaf. */
    public final int[] feature;
    public final double[] threshold;
    /** Children: values below the threshold go left. */
    public final int[] left;
    public final int[] right;
    /** For a leaf: its depth plus the expected path length of the points it still holds. */
    public final double[] leafPath;

    Tree(int[] feature, double[] threshold, int[] left, int[] right, double[] leafPath) {
      this.feature = feature;
      this.threshold = threshold;
      this.left = left;
      this.right = right;
      this.leafPath = leafPath;
    }

    public int size() {
      return feature.length;
    }

    double pathLength(double[] x) {
      int n = 0;
      while (feature[n] >= 0) {
        // Compared as float, as onnxruntime does, so an exported model routes every point alike.
        n = (float) x[feature[n]] < threshold[n] ? left[n] : right[n];
      }
      return leafPath[n];
    }
  }

  private final List<Tree> trees;
  private final double normaliser;
  private final int features;

  private IsolationForest(List<Tree> trees, int sampleSize, int features) {
    this.trees = trees;
    this.normaliser = averagePath(sampleSize);
    this.features = features;
  }

  /** Fits {@code treeCount} trees, each on {@code sampleSize} rows drawn without replacement. */
  public static IsolationForest fit(double[][] rows, int treeCount, int sampleSize, long seed) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("no rows to fit");
    }
    SplittableRandom random = new SplittableRandom(seed);
    int psi = Math.min(sampleSize, rows.length);
    int heightLimit = (int) Math.ceil(Math.log(Math.max(psi, 2)) / Math.log(2));
    List<Tree> trees = new ArrayList<>(treeCount);
    int[] index = new int[rows.length];
    for (int t = 0; t < treeCount; t++) {
      for (int i = 0; i < index.length; i++) {
        index[i] = i;
      }
      for (int i = 0; i < psi; i++) {
        int j = i + random.nextInt(index.length - i);
        int tmp = index[i];
        index[i] = index[j];
        index[j] = tmp;
      }
      double[][] sample = new double[psi][];
      for (int i = 0; i < psi; i++) {
        sample[i] = rows[index[i]];
      }
      trees.add(new TreeBuilder(sample, heightLimit, random).build());
    }
    return new IsolationForest(trees, psi, rows[0].length);
  }

  /** Score in (0, 1]: about 0.5 and below is ordinary, near 1 is isolated at once. */
  public double score(double[] x) {
    return Math.pow(2, -meanPath(x) / normaliser);
  }

  public double meanPath(double[] x) {
    double sum = 0;
    for (Tree t : trees) {
      sum += t.pathLength(x);
    }
    return sum / trees.size();
  }

  public List<Tree> trees() {
    return trees;
  }

  /** c(n): the average path length of an unsuccessful search in a binary search tree. */
  public double normaliser() {
    return normaliser;
  }

  public int features() {
    return features;
  }

  static double averagePath(int n) {
    if (n <= 1) {
      return 0;
    }
    if (n == 2) {
      return 1;
    }
    return 2 * (Math.log(n - 1) + 0.5772156649) - 2.0 * (n - 1) / n;
  }

  /** Builds one tree depth-first into growing arrays. */
  private static final class TreeBuilder {
    private final double[][] rows;
    private final int heightLimit;
    private final SplittableRandom random;
    private final List<int[]> structure = new ArrayList<>();
    private final List<Double> thresholds = new ArrayList<>();
    private final List<Double> paths = new ArrayList<>();

    TreeBuilder(double[][] rows, int heightLimit, SplittableRandom random) {
      this.rows = rows;
      this.heightLimit = heightLimit;
      this.random = random;
    }

    Tree build() {
      int[] all = new int[rows.length];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      grow(all, all.length, 0);
      int n = structure.size();
      int[] feature = new int[n];
      int[] left = new int[n];
      int[] right = new int[n];
      double[] threshold = new double[n];
      double[] leafPath = new double[n];
      for (int i = 0; i < n; i++) {
        feature[i] = structure.get(i)[0];
        left[i] = structure.get(i)[1];
        right[i] = structure.get(i)[2];
        threshold[i] = thresholds.get(i);
        leafPath[i] = paths.get(i);
      }
      return new Tree(feature, threshold, left, right, leafPath);
    }

    private int grow(int[] idx, int count, int depth) {
      int node = structure.size();
      structure.add(new int[] {-1, -1, -1});
      thresholds.add(0.0);
      paths.add(0.0);
      if (depth >= heightLimit || count <= 1) {
        paths.set(node, depth + averagePath(count));
        return node;
      }
      int dims = rows[idx[0]].length;
      // Try the features in random order until one has a spread among these rows.
      int start = random.nextInt(dims);
      for (int k = 0; k < dims; k++) {
        int f = (start + k) % dims;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
          double v = rows[idx[i]][f];
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        if (hi <= lo) {
          continue;
        }
        // Thresholds are float values, the precision of an ONNX tree ensemble.
        double split = (float) (lo + random.nextDouble() * (hi - lo));
        if (split <= lo || split > hi) {
          continue;
        }
        int[] below = new int[count];
        int[] above = new int[count];
        int nb = 0;
        int na = 0;
        for (int i = 0; i < count; i++) {
          if (rows[idx[i]][f] < split) {
            below[nb++] = idx[i];
          } else {
            above[na++] = idx[i];
          }
        }
        structure.get(node)[0] = f;
        thresholds.set(node, split);
        int l = grow(below, nb, depth + 1);
        int r = grow(above, na, depth + 1);
        structure.get(node)[1] = l;
        structure.get(node)[2] = r;
        return node;
      }
      paths.set(node, depth + averagePath(count));
      return node;
    }
  }
}
