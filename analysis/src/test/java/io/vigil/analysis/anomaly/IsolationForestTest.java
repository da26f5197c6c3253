package io.vigil.analysis.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class IsolationForestTest {

  @Test
  void isolatedPointsScoreHigherThanTheCrowd() {
    Random r = new Random(1);
    double[][] rows = new double[1000][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new double[] {r.nextGaussian(), r.nextGaussian()};
    }
    IsolationForest f = IsolationForest.fit(rows, 100, 256, 7);
    double inlier = f.score(new double[] {0.1, -0.2});
    double outlier = f.score(new double[] {6, 6});
    assertThat(outlier).isGreaterThan(0.65);
    assertThat(inlier).isLessThan(0.5);
    assertThat(f.trees()).hasSize(100);
    assertThat(f.normaliser()).isEqualTo(IsolationForest.averagePath(256));
  }

  @Test
  void theSameSeedGrowsTheSameForest() {
    double[][] rows = {{1, 2}, {2, 3}, {3, 1}, {8, 9}, {2, 2}};
    double a = IsolationForest.fit(rows, 10, 4, 3).score(new double[] {5, 5});
    double b = IsolationForest.fit(rows, 10, 4, 3).score(new double[] {5, 5});
    assertThat(a).isEqualTo(b);
  }

  @Test
  void constantDataGivesLeavesNotSplits() {
    double[][] rows = new double[50][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new double[] {3, 3};
    }
    IsolationForest f = IsolationForest.fit(rows, 5, 32, 1);
    assertThat(f.trees()).allSatisfy(t -> assertThat(t.size()).isEqualTo(1));
    assertThat(f.score(new double[] {3, 3})).isBetween(0.0, 1.0);
  }
}
