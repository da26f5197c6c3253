package io.vigil.analysis.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NeighbourScaleTest {

  /**
   * The definition, computed the slow way: all distances, then k greedy picks of the nearest
   * shape outside the earlier picks' exclusion zones (ties: the earliest).
   */
  private static double bruteForce(List<Double> blocks, int m, int k, int history) {
    int end = blocks.size() - 1;
    int first = Math.max(m - 1, end - history);
    int last = end - m;
    if (blocks.size() < 3 * m || last - first + 1 < k * (m + 1)) {
      return Double.NaN;
    }
    double[] d = new double[last - first + 1];
    for (int j = first; j <= last; j++) {
      double sum = 0;
      for (int i = 0; i < m; i++) {
        double e = blocks.get(end - i) - blocks.get(j - i);
        sum += e * e;
      }
      d[j - first] = sum;
    }
    int exclusion = Math.max(1, m / 2);
    double kth = Double.NaN;
    for (int r = 0; r < k; r++) {
      int best = -1;
      for (int i = 0; i < d.length; i++) {
        if (d[i] < Double.MAX_VALUE && (best < 0 || d[i] < d[best])) {
          best = i;
        }
      }
      kth = d[best];
      Arrays.fill(d, Math.max(0, best - exclusion), Math.min(d.length, best + exclusion + 1),
          Double.MAX_VALUE);
    }
    return Math.sqrt(kth / m);
  }

  @ParameterizedTest(name = "shingle {0}, block {1}, k {2}")
  @CsvSource({"1, 1, 3", "8, 4, 3", "32, 8, 3", "4, 1, 1", "5, 2, 5"})
  void theKthNearestShapeIsTheDefinitions(int m, int b, int k) {
    int history = 600;
    NeighbourScale scale = new NeighbourScale(m, b, k, history, 2000, 0.02);
    Random r = new Random(m * 31L + b);
    List<Double> blocks = new ArrayList<>();
    double sum = 0;
    int checked = 0;
    for (int i = 0; i < 6000; i++) {
      // Rounded values repeat exactly, so ties between shapes are common.
      double x = Math.round(4 * Math.sin(i / 7.0) + r.nextGaussian());
      double s = scale.update(x);
      sum += x;
      if ((i + 1) % b != 0) {
        assertThat(s).isEqualTo(-1);
        continue;
      }
      blocks.add(sum / b);
      sum = 0;
      double expected = bruteForce(blocks, m, k, history / b < 4 * m * k ? 4 * m * k
          : history / b);
      if (Double.isNaN(expected)) {
        assertThat(s).isEqualTo(-1);
      } else {
        assertThat(scale.lastDistance()).as("block %d", blocks.size()).isEqualTo(expected);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(6000 / b / 2);
  }
}
