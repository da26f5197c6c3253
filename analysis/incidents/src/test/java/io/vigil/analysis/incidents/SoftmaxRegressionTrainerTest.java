package io.vigil.analysis.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftmaxRegressionTrainerTest {

  @Test
  void separatesThreeGaussianClustersIncludingARareOne() {
    Random r = new Random(1);
    List<float[]> x = new ArrayList<>();
    List<String> y = new ArrayList<>();
    int[] sizes = {60, 30, 6}; // imbalanced, as incident causes are
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < sizes[c]; i++) {
        float[] v = new float[8];
        for (int j = 0; j < v.length; j++) {
          v[j] = (float) (r.nextGaussian() * 0.5 + (j == c ? 2 : 0));
        }
        x.add(v);
        y.add("c" + c);
      }
    }
    SoftmaxRegression m = new SoftmaxRegressionTrainer(0.01, true, 300).train(x, y);
    int correct = 0;
    for (int i = 0; i < x.size(); i++) {
      double[] p = m.probabilities(x.get(i));
      int best = 0;
      for (int c = 1; c < p.length; c++) {
        best = p[c] > p[best] ? c : best;
      }
      correct += m.labels().get(best).equals(y.get(i)) ? 1 : 0;
    }
    assertThat(correct / (double) x.size()).isGreaterThan(0.95);
    float[] rare = new float[8];
    rare[2] = 2;
    assertThat(m.probabilities(rare)[2]).isGreaterThan(0.5);
  }
}
