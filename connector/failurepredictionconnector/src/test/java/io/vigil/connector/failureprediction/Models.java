package io.vigil.connector.failureprediction;

import io.vigil.analysis.training.RandomForestClassifier;
import io.vigil.analysis.training.TreeEnsembleOnnx;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small forests for tests: "fails soon" when the error ratio column is above 0.3. */
final class Models {

  private Models() {}

  static byte[] errorRatioForest(List<String> names, double windowSeconds, long seed) {
    int err = names.indexOf("error_ratio");
    Random r = new Random(seed);
    double[][] x = new double[400][names.size()];
    boolean[] y = new boolean[x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < names.size(); j++) {
        x[i][j] = r.nextInt(10) == 0 ? Double.NaN : r.nextDouble() * 100;
      }
      x[i][err] = r.nextDouble();
      y[i] = x[i][err] > 0.3;
    }
    RandomForestClassifier rf = RandomForestClassifier.fit(x, y,
        RandomForestClassifier.Settings.defaults().withTrees(10).withSeed(seed));
    return TreeEnsembleOnnx.write(rf, names, 0.5, Map.of(PredictorModel.WINDOW,
        Double.toString(windowSeconds), PredictorModel.HORIZON, "300.0"));
  }
}
