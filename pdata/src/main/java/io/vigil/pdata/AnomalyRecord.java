package io.vigil.pdata;

/**
 * The anomaly-record contract: an anomaly travels as an OTLP log record carrying these
 * attributes. The producers ({@code logtemplate}, {@code anomaly}) write them and the consumers
 * ({@code alerts}, {@code templatecounts}, later {@code incidents}) read them, all through these
 * names, so the contract lives in one place.
 */
public final class AnomalyRecord {

  private AnomalyRecord() {}

  /** Instrumentation scope of anomaly records found in log templates. */
  public static final String LOG_SCOPE = "io.vigil.logtemplate.anomaly";
  /** Instrumentation scope of the anomaly connector's scores and events. */
  public static final String METRIC_SCOPE = "io.vigil.anomaly";

  /** Event name of a log anomaly record. */
  public static final String LOG_EVENT = "vigil.log.anomaly";
  /** Event name of a metric anomaly record. */
  public static final String METRIC_EVENT = "vigil.metric.anomaly";

  /** What was found: {@code new_template}, {@code surge}, {@code metric_anomaly}, ... */
  public static final String KIND = "vigil.anomaly.kind";
  /** Which signal it was found in: {@code logs} or {@code metrics}. */
  public static final String SOURCE = "vigil.anomaly.source";
  /** The metric series (name and labels) of a metric anomaly. */
  public static final String SERIES = "vigil.anomaly.series";
  /** The anomaly score, from 0 (normal) to 1. */
  public static final String SCORE = "vigil.anomaly.score";
  /** Trace IDs that exemplify the anomaly (an array of hex strings). */
  public static final String TRACE_IDS = "vigil.anomaly.trace_ids";
  /** Start and end of the window the anomaly was seen in. */
  public static final String WINDOW_START = "vigil.anomaly.window.start_unix_nano";
  public static final String WINDOW_END = "vigil.anomaly.window.end_unix_nano";
  /**
   * The OpenTelemetry severity number (1-24; 9 = INFO, 13 = WARN, 17 = ERROR) of the log record
   * that revealed a log anomaly: a consumer weighs a new ERROR message above a new INFO one.
   * Absent when the record had none, and on metric anomalies.
   */
  public static final String SEVERITY_NUMBER = "vigil.anomaly.severity_number";
  /** Prefix of the detector's own explanatory attributes. */
  public static final String PREFIX = "vigil.anomaly.";

  /** The log template's ID (16 hex digits) and text, set on every record of a mined log. */
  public static final String TEMPLATE_ID = "log.template.id";
  public static final String TEMPLATE = "log.template";

  /**
   * True on a record that says the anomaly is over (a resolved Alertmanager alert); absent or
   * false while it lasts.
   */
  public static final String RESOLVED = "vigil.anomaly.resolved";

  /** Values of {@link #SOURCE}. */
  public static final String SOURCE_LOGS = "logs";
  public static final String SOURCE_METRICS = "metrics";
  /** An alerting system's verdict (Alertmanager), not Vigil's own detection. */
  public static final String SOURCE_ALERTS = "alerts";

  /** Instrumentation scope and event name of the failureprediction connector's records. */
  public static final String PREDICTION_SCOPE = "io.vigil.failureprediction";
  public static final String PREDICTION_EVENT = "vigil.failure.prediction";
  /** {@link #KIND} of a failure prediction: the service is predicted to fail soon. */
  public static final String KIND_FAILURE_PREDICTION = "failure_prediction";
  /** How far ahead a prediction looks: the failure is expected within this many seconds. */
  public static final String HORIZON_SECONDS = "vigil.anomaly.horizon_seconds";
  /** The model (name/version) that made a prediction. */
  public static final String MODEL_VERSION = "vigil.anomaly.model_version";
}
