package io.vigil.analysis.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GradientBoostedTreesTest {

  private static double[] probabilities(GradientBoostedTrees model, double[][] rows) {
    double[] p = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      p[i] = model.probability(rows[i]);
    }
    return p;
  }

  @Test
  void learnsAnAndOfTwoFeaturesAmongNoiseWellAboveTheMajorityBaseline() {
    FailureData train = FailureData.generate(8000, 1);
    FailureData test = FailureData.generate(4000, 2);
    GradientBoostedTrees model = GradientBoostedTrees.fit(train.x, train.y,
        GradientBoostedTrees.Settings.defaults());
    double[] p = probabilities(model, test.x);
    // Learning nothing scores the majority class's share (about 0.84 here) and an AUC of 0.5.
    // With 5% of labels flipped the best any model can do is 0.95 accuracy and an AUC of about
    // 0.86 (a flipped row ties with the unflipped rows of its region).
    double baseline = test.majorityAccuracy();
    assertThat(baseline).isBetween(0.8, 0.88);
    assertThat(test.accuracy(p, 0.5)).isGreaterThan(0.93).isGreaterThan(baseline + 0.09);
    assertThat(test.auc(p)).isGreaterThan(0.84);
    assertThat(model.trees()).hasSize(100)
        .allSatisfy(t -> assertThat(t.depth()).isBetween(1, 4));
  }

  @Test
  void moreRoundsFitTheTrainingDataBetter() {
    FailureData train = FailureData.generate(3000, 3);
    GradientBoostedTrees.Settings s = GradientBoostedTrees.Settings.defaults();
    double few = train.auc(probabilities(GradientBoostedTrees.fit(train.x, train.y,
        s.withTrees(3)), train.x));
    double many = train.auc(probabilities(GradientBoostedTrees.fit(train.x, train.y,
        s.withTrees(60)), train.x));
    assertThat(many).isGreaterThan(few);
  }

  @Test
  void aNaNTakesTheSideItsTrainingRowsTaught() {
    // A metric that goes missing when the service is failing: missingness is the signal.
    Random r = new Random(4);
    double[][] x = new double[2000][2];
    boolean[] y = new boolean[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = r.nextDouble() < 0.3;
      x[i][0] = r.nextGaussian();
      x[i][1] = y[i] ? Double.NaN : r.nextGaussian();
    }
    GradientBoostedTrees model = GradientBoostedTrees.fit(x, y,
        GradientBoostedTrees.Settings.defaults());
    assertThat(model.probability(new double[] {0, Double.NaN})).isGreaterThan(0.9);
    assertThat(model.probability(new double[] {0, 0})).isLessThan(0.1);
    assertThat(model.probability(new double[] {0, 50})).isLessThan(0.1);
  }

  @Test
  void withoutNaNInTrainingANaNFollowsTheLargerChild() {
    // Feature 0 alone decides, and most rows are below the cut: NaN goes where they went.
    // 200 distinct values, under the 255 bins, so the cut lies exactly between 179 and 180.
    double[][] x = new double[200][];
    boolean[] y = new boolean[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = new double[] {i};
      y[i] = i >= 180;
    }
    GradientBoostedTrees model = GradientBoostedTrees.fit(x, y,
        new GradientBoostedTrees.Settings(10, 2, 0.1, 5, 1.0, 1.0, 255, 1));
    DecisionTree first = model.trees().get(0);
    assertThat(first.threshold[0]).isEqualTo(179.5f);
    assertThat(first.missingLeft[0]).isTrue();
    assertThat(model.probability(new double[] {Double.NaN}))
        .isEqualTo(model.probability(new double[] {0}));
  }

  @Test
  void theSameSeedGrowsTheSameModel() {
    FailureData d = FailureData.generate(1000, 5);
    GradientBoostedTrees.Settings s = GradientBoostedTrees.Settings.defaults().withTrees(20);
    GradientBoostedTrees a = GradientBoostedTrees.fit(d.x, d.y, s);
    GradientBoostedTrees b = GradientBoostedTrees.fit(d.x, d.y, s);
    GradientBoostedTrees c = GradientBoostedTrees.fit(d.x, d.y, s.withSeed(6));
    double[] row = d.x[17];
    assertThat(a.probability(row)).isEqualTo(b.probability(row));
    assertThat(a.trees().get(19).threshold).isEqualTo(b.trees().get(19).threshold);
    assertThat(c.trees().get(19).threshold).isNotEqualTo(a.trees().get(19).threshold);
  }

  @Test
  void badDataIsRefusedNamingTheProblem() {
    GradientBoostedTrees.Settings s = GradientBoostedTrees.Settings.defaults();
    assertThatThrownBy(() -> GradientBoostedTrees.fit(new double[0][], new boolean[0], s))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no rows to fit");
    assertThatThrownBy(() -> GradientBoostedTrees.fit(
        new double[][] {{1, 2}, {3}}, new boolean[] {true, false}, s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ragged rows: row 1 has 1 features, row 0 has 2");
    assertThatThrownBy(() -> GradientBoostedTrees.fit(
        new double[][] {{1}, {2}, {3}}, new boolean[] {true, false}, s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("2 labels for 3 rows; each row needs one label");
    assertThatThrownBy(() -> GradientBoostedTrees.fit(
        new double[][] {{1}, {2}, {3}}, new boolean[] {false, false, false}, s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("all 3 labels are false; a classifier needs examples of both classes");
    assertThatThrownBy(() -> GradientBoostedTrees.fit(
        new double[][] {{}, {}}, new boolean[] {true, false}, s))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("row 0 has no features");
  }

  @Test
  void badSettingsAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> GradientBoostedTrees.Settings.defaults().withTrees(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trees is 0, must be at least 1");
    assertThatThrownBy(() -> new GradientBoostedTrees.Settings(10, 3, 0.1, 1, 0, 1, 255, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("subsample is 0.0, must be in (0, 1]");
    assertThatThrownBy(() -> new GradientBoostedTrees.Settings(10, 3, Double.NaN, 1, 1, 1,
        255, 1)).hasMessage("learningRate is NaN, must be in (0, 1]");
    assertThatThrownBy(() -> GradientBoostedTrees.fit(new double[][] {{1}, {2}},
        new boolean[] {true, false}, new GradientBoostedTrees.Settings(10, 3, 0.1, 1, 1, 1,
            300, 1))).hasMessage("bins is 300, must be 2..255");
  }

  @Test
  void aRowOfTheWrongWidthIsRefused() {
    GradientBoostedTrees model = GradientBoostedTrees.fit(new double[][] {{1, 2}, {2, 1}},
        new boolean[] {true, false}, GradientBoostedTrees.Settings.defaults().withTrees(1));
    assertThatThrownBy(() -> model.probability(new double[] {1}))
        .hasMessage("row of 1 features, model takes 2");
  }
}
