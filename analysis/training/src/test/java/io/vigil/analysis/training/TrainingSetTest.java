package io.vigil.analysis.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainingSetTest {

  private static TrainingSet of(double[] column, int bins) {
    double[][] x = new double[column.length][];
    boolean[] y = new boolean[column.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = new double[] {column[i]};
      y[i] = i % 2 == 0;
    }
    return TrainingSet.of(x, y, bins);
  }

  @Test
  void fewDistinctValuesGetACutBetweenEachPairSoSearchIsExact() {
    TrainingSet s = of(new double[] {3, 1, 2, 2, Double.NaN, 1, 10}, 255);
    assertThat(s.cuts[0]).containsExactly(1.5f, 2.5f, 6.5f);
    assertThat(s.bins[0]).containsExactly(2, 0, 1, 1, (byte) TrainingSet.MISSING, 0, 3);
  }

  @Test
  void manyValuesGetQuantileCutsAndEveryRowIsBelowExactlyTheCutsAboveIt() {
    Random r = new Random(1);
    double[] column = new double[20000];
    for (int i = 0; i < column.length; i++) {
      // Heavy ties at 0 among a skewed spread, as latency or error counts look.
      column[i] = r.nextDouble() < 0.3 ? 0 : Math.exp(r.nextGaussian() * 3);
    }
    TrainingSet s = of(column, 64);
    float[] cuts = s.cuts[0];
    assertThat(cuts.length).isBetween(40, 63);
    for (int j = 1; j < cuts.length; j++) {
      assertThat(cuts[j]).isGreaterThan(cuts[j - 1]);
    }
    int[] size = new int[cuts.length + 1];
    for (int i = 0; i < column.length; i++) {
      int b = s.bins[0][i] & 0xFF;
      size[b]++;
      // The routing a split on cut j applies to raw values: float value below the cut.
      for (int j = 0; j < cuts.length; j++) {
        assertThat((float) column[i] < cuts[j]).isEqualTo(b <= j);
      }
    }
    // The zeros fill a bin of their own; the rest about equally.
    assertThat(size[0]).isBetween(5800, 6200);
    for (int b = 1; b < size.length; b++) {
      assertThat(size[b]).as("bin %d", b).isBetween(100, 2 * 20000 / 64);
    }
  }

  @Test
  void extremeValuesStillSeparate() {
    TrainingSet s = of(new double[] {Double.NEGATIVE_INFINITY, -0.0, 0.0, Float.MAX_VALUE,
        Double.POSITIVE_INFINITY, 1e300}, 255);
    // -0 and 0 are one value; 1e300 is infinite as a float.
    assertThat(s.cuts[0]).containsExactly(-0.0f, Float.MAX_VALUE / 2, Float.POSITIVE_INFINITY);
    assertThat(s.bins[0]).containsExactly(0, 1, 1, 2, 3, 3);
  }
}
