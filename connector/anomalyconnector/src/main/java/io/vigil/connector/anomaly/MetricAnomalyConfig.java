package io.vigil.connector.anomaly;

import io.vigil.analysis.anomaly.DetectorSettings;
import io.vigil.analysis.onnx.OnnxModel;

import java.time.Duration;

/** Config of the {@code anomaly} connector (metrics in; scores as metrics, events as logs). */
public class MetricAnomalyConfig {
  /** The built-in detector: one per series, fitted from the series' own history. */
  public DetectorSettings detector = new DetectorSettings();
  /** Score from which a point raises an anomaly event; default: the detector's alarm level. */
  public double threshold = -1;
  /**
   * An ONNX model used instead of the built-in forests: one float input [batch, n] or
   * [batch, n, 1] (time-major [n, batch, 1] by metadata) of the series' last n values, scaled
   * by the series' median and IQR; one float score output [batch, 1] or [batch] (see
   * {@link OnnxModel}). Reloaded when the file changes. "" = the built-in detector.
   */
  public String modelFile = "";
  /** How often the model file is checked for changes. */
  public Duration reloadInterval = Duration.ofSeconds(10);
  /**
   * Refit forests on a background thread (scoring continues with the current forest). Off:
   * refits run inline, so a replay of the same points gives the same scores every time.
   */
  public boolean backgroundRefit = true;
  /** Series tracked; the least recently updated is forgotten beyond it. */
  public int maxSeries = 10_000;
  /** Name of the emitted score metric (one gauge point per input point). */
  public String scoreMetric = "vigil.anomaly.score";
  /** Example trace IDs an event carries, from the points' exemplars. */
  public int exampleTraces = 3;
  /** Which metrics are scored, by name. */
  public MetricNames metrics = new MetricNames();

  /** The {@code metrics} block: regular expressions matched against the whole metric name. */
  public static class MetricNames {
    /** Only metrics whose name matches one of these are scored; empty = every metric. */
    public java.util.List<String> include = new java.util.ArrayList<>();
    /** Metrics whose name matches one of these are not scored (checked after include). */
    public java.util.List<String> exclude = new java.util.ArrayList<>();
  }
}
