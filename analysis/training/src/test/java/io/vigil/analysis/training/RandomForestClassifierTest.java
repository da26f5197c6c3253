package io.vigil.analysis.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RandomForestClassifierTest {

  @Test
  void learnsAnAndOfTwoFeaturesAmongNoiseWellAboveTheMajorityBaseline() {
    FailureData train = FailureData.generate(8000, 1);
    FailureData test = FailureData.generate(4000, 2);
    RandomForestClassifier model = RandomForestClassifier.fit(train.x, train.y,
        RandomForestClassifier.Settings.defaults());
    double[] p = new double[test.y.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = model.probability(test.x[i]);
    }
    // As for boosting: 0.84 for learning nothing, 0.95 and an AUC of about 0.86 at best. With
    // sqrt(10) = 3 of 10 features per split, most splits see only noise; the forest gets
    // there anyway.
    double baseline = test.majorityAccuracy();
    assertThat(test.accuracy(p, 0.5)).isGreaterThan(0.93).isGreaterThan(baseline + 0.09);
    assertThat(test.auc(p)).isGreaterThan(0.84);
    assertThat(model.trees()).hasSize(100)
        .allSatisfy(t -> assertThat(t.depth()).isBetween(1, 12));
  }

  @Test
  void leavesHoldTheShareOfPositiveRows() {
    double[][] x = new double[100][];
    boolean[] y = new boolean[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = new double[] {i < 50 ? 0 : 1};
      // Left half: 1 in 5 positive; right half: 4 in 5.
      y[i] = i < 50 ? i % 5 == 0 : i % 5 != 0;
    }
    RandomForestClassifier model = RandomForestClassifier.fit(x, y,
        new RandomForestClassifier.Settings(200, 3, 1, 1, 255, 1));
    // Bootstrap samples wobble each leaf's share around the true one; the mean settles.
    assertThat(model.probability(new double[] {0})).isBetween(0.15, 0.25);
    assertThat(model.probability(new double[] {1})).isBetween(0.75, 0.85);
  }

  @Test
  void theSameSeedGrowsTheSameForest() {
    FailureData d = FailureData.generate(500, 5);
    RandomForestClassifier.Settings s = RandomForestClassifier.Settings.defaults().withTrees(10);
    double a = RandomForestClassifier.fit(d.x, d.y, s).probability(d.x[3]);
    double b = RandomForestClassifier.fit(d.x, d.y, s).probability(d.x[3]);
    assertThat(a).isEqualTo(b);
  }

  @Test
  void badDataAndSettingsAreRefusedNamingTheProblem() {
    RandomForestClassifier.Settings s = RandomForestClassifier.Settings.defaults();
    assertThatThrownBy(() -> RandomForestClassifier.fit(new double[0][], new boolean[0], s))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no rows to fit");
    assertThatThrownBy(() -> RandomForestClassifier.fit(
        new double[][] {{1, 2}, {3, 4}, {5}}, new boolean[] {true, false, true}, s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ragged rows: row 2 has 1 features, row 0 has 2");
    assertThatThrownBy(() -> RandomForestClassifier.fit(
        new double[][] {{1}, {2}}, new boolean[] {true, true}, s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("all 2 labels are true; a classifier needs examples of both classes");
    assertThatThrownBy(() -> new RandomForestClassifier.Settings(10, 5, 1, -1, 255, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("featuresPerSplit is -1");
  }
}
