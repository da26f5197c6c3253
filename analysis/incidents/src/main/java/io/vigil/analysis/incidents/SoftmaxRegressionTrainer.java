package io.vigil.analysis.incidents;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Fits a {@link SoftmaxRegression} by minimising the class-weighted mean cross-entropy plus
 * (l2 / 2)·|W|² with Nesterov's accelerated gradient descent. The problem is convex and small
 * (a few hundred examples, 384 features), so plain full-batch descent with the step 1/L is
 * enough; L, the gradient's Lipschitz constant, is bounded by half the largest eigenvalue of the
 * weighted feature covariance (found by power iteration) plus l2.
 *
 * <p>Balanced class weights (n / (classes · n_c)) make each class weigh the same in the loss: the
 * evaluation scores macro-F1, and without them rare causes are never predicted.
 */
public final class SoftmaxRegressionTrainer {

  private final double l2;
  private final boolean balanced;
  private final int iterations;

  public SoftmaxRegressionTrainer(double l2, boolean balanced, int iterations) {
    this.l2 = l2;
    this.balanced = balanced;
    this.iterations = iterations;
  }

  public SoftmaxRegression train(List<float[]> features, List<String> labels) {
    List<String> classes = new ArrayList<>(new TreeSet<>(labels));
    int n = features.size();
    int d = features.get(0).length;
    int k = classes.size();
    int[] y = labels.stream().mapToInt(classes::indexOf).toArray();

    double[] mean = new double[d];
    double[] scale = new double[d];
    for (float[] x : features) {
      for (int j = 0; j < d; j++) {
        mean[j] += x[j] / (double) n;
      }
    }
    for (float[] x : features) {
      for (int j = 0; j < d; j++) {
        scale[j] += (x[j] - mean[j]) * (x[j] - mean[j]) / n;
      }
    }
    for (int j = 0; j < d; j++) {
      scale[j] = scale[j] > 1e-12 ? Math.sqrt(scale[j]) : 1;
    }
    double[][] z = new double[n][];
    for (int i = 0; i < n; i++) {
      z[i] = new double[d];
      for (int j = 0; j < d; j++) {
        z[i][j] = (features.get(i)[j] - mean[j]) / scale[j];
      }
    }
    double[] sampleWeight = new double[n];
    int[] classCount = new int[k];
    for (int c : y) {
      classCount[c]++;
    }
    for (int i = 0; i < n; i++) {
      sampleWeight[i] = balanced ? n / (double) (k * classCount[y[i]]) : 1;
    }

    double step = 1 / (0.5 * largestEigenvalue(z, sampleWeight) + l2);
    // Parameters: k rows of d weights then an intercept, flattened.
    int p = k * (d + 1);
    double[] theta = new double[p];
    double[] lookahead = new double[p];
    double[] grad = new double[p];
    double t = 1;
    for (int it = 0; it < iterations; it++) {
      gradient(lookahead, z, y, sampleWeight, k, d, grad);
      double[] next = new double[p];
      for (int q = 0; q < p; q++) {
        next[q] = lookahead[q] - step * grad[q];
      }
      double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
      for (int q = 0; q < p; q++) {
        lookahead[q] = next[q] + (t - 1) / tNext * (next[q] - theta[q]);
      }
      theta = next;
      t = tNext;
    }

    double[][] weights = new double[k][d];
    double[] bias = new double[k];
    for (int c = 0; c < k; c++) {
      System.arraycopy(theta, c * (d + 1), weights[c], 0, d);
      bias[c] = theta[c * (d + 1) + d];
    }
    return new SoftmaxRegression(List.copyOf(classes), mean, scale, weights, bias, l2);
  }

  private void gradient(double[] theta, double[][] z, int[] y, double[] sw, int k, int d,
      double[] grad) {
    java.util.Arrays.fill(grad, 0);
    int n = z.length;
    double[] logits = new double[k];
    for (int i = 0; i < n; i++) {
      double[] x = z[i];
      for (int c = 0; c < k; c++) {
        int off = c * (d + 1);
        double s = theta[off + d];
        for (int j = 0; j < d; j++) {
          s += theta[off + j] * x[j];
        }
        logits[c] = s;
      }
      double[] prob = SoftmaxRegression.softmax(logits);
      for (int c = 0; c < k; c++) {
        double r = sw[i] * (prob[c] - (y[i] == c ? 1 : 0)) / n;
        int off = c * (d + 1);
        for (int j = 0; j < d; j++) {
          grad[off + j] += r * x[j];
        }
        grad[off + d] += r;
      }
    }
    for (int c = 0; c < k; c++) { // the intercepts are not penalised
      int off = c * (d + 1);
      for (int j = 0; j < d; j++) {
        grad[off + j] += l2 * theta[off + j];
      }
    }
  }

  /** Largest eigenvalue of (1/n) Σ w_i [x_i,1][x_i,1]ᵀ, by power iteration (an upper estimate). */
  private static double largestEigenvalue(double[][] z, double[] w) {
    int d = z[0].length + 1;
    double[] v = new double[d];
    java.util.Arrays.fill(v, 1 / Math.sqrt(d));
    double lambda = 0;
    for (int it = 0; it < 50; it++) {
      double[] u = new double[d];
      for (int i = 0; i < z.length; i++) {
        double s = v[d - 1];
        for (int j = 0; j < d - 1; j++) {
          s += z[i][j] * v[j];
        }
        s *= w[i] / z.length;
        for (int j = 0; j < d - 1; j++) {
          u[j] += s * z[i][j];
        }
        u[d - 1] += s;
      }
      double norm = 0;
      for (double x : u) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      lambda = norm;
      for (int j = 0; j < d; j++) {
        v[j] = u[j] / norm;
      }
    }
    return lambda * 1.05; // power iteration approaches from below; keep the step safe
  }
}
