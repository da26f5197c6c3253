package io.vigil.analysis.training;

import java.util.Arrays;
import java.util.Random;

/**
 * A synthetic failure-prediction problem for the tree trainers: a service fails when its load
 * is high and its latency trend is rising (an AND, which no single threshold and no linear
 * score separates cleanly), with 5% of labels flipped and eight features of pure noise.
 */
final class FailureData {

  static final int FEATURES = 10;

  final double[][] x;
  final boolean[] y;

  private FailureData(double[][] x, boolean[] y) {
    this.x = x;
    this.y = y;
  }

  static FailureData generate(int n, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][FEATURES];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      double load = r.nextDouble();
      double trend = r.nextGaussian();
      x[i][0] = load;
      x[i][1] = trend;
      for (int j = 2; j < FEATURES; j++) {
        x[i][j] = r.nextGaussian() * j;
      }
      boolean fails = load > 0.7 && trend > 0.2;
      y[i] = r.nextDouble() < 0.05 ? !fails : fails;
    }
    return new FailureData(x, y);
  }

  double positiveRate() {
    int p = 0;
    for (boolean b : y) {
      p += b ? 1 : 0;
    }
    return (double) p / y.length;
  }

  /** Accuracy of always answering the more frequent class: what learning nothing scores. */
  double majorityAccuracy() {
    return Math.max(positiveRate(), 1 - positiveRate());
  }

  double accuracy(double[] probability, double threshold) {
    int right = 0;
    for (int i = 0; i < y.length; i++) {
      right += (probability[i] >= threshold) == y[i] ? 1 : 0;
    }
    return (double) right / y.length;
  }

  /** Area under the ROC curve: the chance a positive outscores a negative, ties half. */
  double auc(double[] probability) {
    Integer[] order = new Integer[y.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(probability[a], probability[b]));
    double rankSum = 0;
    long positives = 0;
    for (int i = 0; i < order.length; ) {
      int j = i;
      while (j < order.length && probability[order[j]] == probability[order[i]]) {
        j++;
      }
      double meanRank = (i + 1 + j) / 2.0;
      for (int k = i; k < j; k++) {
        if (y[order[k]]) {
          rankSum += meanRank;
          positives++;
        }
      }
      i = j;
    }
    long negatives = y.length - positives;
    return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }
}
