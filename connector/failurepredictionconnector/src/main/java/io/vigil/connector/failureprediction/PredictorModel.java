package io.vigil.connector.failureprediction;

import io.vigil.analysis.onnx.InvalidModelException;
import io.vigil.analysis.onnx.OnnxModel;
import java.util.Arrays;
import java.util.List;

/**
 * A registry version loaded and matched to this connector's feature rows: which row column
 * feeds each model input (by the names in the model's {@code vigil.features}), the threshold
 * and the horizon it was trained for.
 */
record PredictorModel(OnnxModel onnx, String version, int[] columns, double threshold,
    double horizonSeconds) {

  static final String FEATURES = "vigil.features";
  static final String THRESHOLD = "vigil.threshold";
  static final String HORIZON = "vigil.horizon_seconds";
  static final String WINDOW = "vigil.window_seconds";

  /**
   * @throws InvalidModelException when the model does not take rows of named features, or
   *     names a feature this connector does not build, or was trained on other windows
   */
  static PredictorModel of(OnnxModel m, String version, List<String> rowNames,
      double windowSeconds, double configuredThreshold) {
    if (m.layout() != OnnxModel.Layout.MATRIX) {
      throw new InvalidModelException(version + ": input " + m.layout() + "; a failure"
          + " predictor takes [batch, n] rows of named features (vigil-train writes them)");
    }
    String names = m.metadata().get(FEATURES);
    if (names == null || names.isBlank()) {
      throw new InvalidModelException(version + ": no " + FEATURES + " metadata naming its"
          + " inputs; train it with vigil-train");
    }
    String[] wanted = names.split(",");
    if (wanted.length != m.features()) {
      throw new InvalidModelException(version + ": " + FEATURES + " names " + wanted.length
          + " features, the input takes " + m.features());
    }
    int[] columns = new int[wanted.length];
    for (int i = 0; i < wanted.length; i++) {
      columns[i] = rowNames.indexOf(wanted[i]);
      if (columns[i] < 0) {
        throw new InvalidModelException(version + ": feature \"" + wanted[i] + "\" is not"
            + " built here; the connector's features are " + rowNames + ", the model's "
            + Arrays.toString(wanted) + " (configure the same features as the featurerows"
            + " exporter whose rows trained it)");
      }
    }
    String w = m.metadata().get(WINDOW);
    if (w != null && Math.abs(Double.parseDouble(w) - windowSeconds) > 1e-6) {
      throw new InvalidModelException(version + ": trained on " + w + " s windows, the"
          + " connector's window is " + windowSeconds + " s");
    }
    double threshold = configuredThreshold >= 0 ? configuredThreshold
        : Double.parseDouble(m.metadata().getOrDefault(THRESHOLD, "0.5"));
    double horizon = Double.parseDouble(m.metadata().getOrDefault(HORIZON, "0"));
    return new PredictorModel(m, version, columns, threshold, horizon);
  }
}
