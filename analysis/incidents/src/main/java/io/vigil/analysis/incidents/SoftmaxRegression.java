package io.vigil.analysis.incidents;

import java.util.List;

/**
 * A multinomial logistic regression: features are standardised with the training mean and
 * scale, then p(class) = softmax(W x + b). Its fields are plain arrays so it saves as JSON.
 *
 * @param labels the class of each row of {@code weights}
 * @param mean per-feature training mean
 * @param scale per-feature training standard deviation (1 where it was 0)
 * @param weights one row of weights per class
 * @param bias one intercept per class
 * @param l2 the L2 penalty it was trained with (for the record)
 */
public record SoftmaxRegression(
    List<String> labels, double[] mean, double[] scale, double[][] weights, double[] bias,
    double l2) {

  public double[] probabilities(float[] x) {
    double[] z = standardised(x);
    double[] logits = new double[labels.size()];
    for (int c = 0; c < logits.length; c++) {
      double s = bias[c];
      double[] w = weights[c];
      for (int j = 0; j < z.length; j++) {
        s += w[j] * z[j];
      }
      logits[c] = s;
    }
    return softmax(logits);
  }

  double[] standardised(float[] x) {
    double[] z = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      z[j] = (x[j] - mean[j]) / scale[j];
    }
    return z;
  }

  static double[] softmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    double[] p = new double[logits.length];
    for (int c = 0; c < p.length; c++) {
      p[c] = Math.exp(logits[c] - max);
      sum += p[c];
    }
    for (int c = 0; c < p.length; c++) {
      p[c] /= sum;
    }
    return p;
  }
}
