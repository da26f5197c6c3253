package io.vigil.analysis.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoreHistogramTest {

  @Test
  void binsScoresOverZeroToOneWithTheEdgesInside() {
    ScoreHistogram h = ScoreHistogram.of(new float[] {0f, 0.05f, 0.1f, 0.55f, 1f, -0.2f, 1.3f,
        Float.NaN});
    assertThat(h.counts()).containsExactly(3, 1, 0, 0, 0, 1, 0, 0, 0, 2);
    assertThat(h.total()).isEqualTo(7);
  }

  @Test
  void psiIsZeroForOneDistributionAndLargeForAShiftedOne() {
    Random r = new Random(7);
    float[] low = new float[5000];
    float[] lowAgain = new float[5000];
    float[] high = new float[5000];
    for (int i = 0; i < low.length; i++) {
      low[i] = (float) (0.3 * r.nextDouble());
      lowAgain[i] = (float) (0.3 * r.nextDouble());
      high[i] = (float) (0.4 + 0.3 * r.nextDouble());
    }
    ScoreHistogram expected = ScoreHistogram.of(low);
    assertThat(expected.psi(ScoreHistogram.of(lowAgain))).isLessThan(0.01);
    assertThat(expected.psi(ScoreHistogram.of(high))).isGreaterThan(0.25);
    assertThat(expected.psi(ScoreHistogram.of(new float[0]))).isNaN();
  }

  @Test
  void aHistogramHasTenBins() {
    assertThatThrownBy(() -> new ScoreHistogram(new long[3])).hasMessageContaining("10 bins");
  }
}
