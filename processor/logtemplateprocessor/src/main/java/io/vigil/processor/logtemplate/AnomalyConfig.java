package io.vigil.processor.logtemplate;

import java.time.Duration;

/** The {@code anomalies} block of the {@code logtemplate} processor. */
public class AnomalyConfig {
  /** Detect anomalies and emit them as log records in the same pipeline. */
  public boolean enabled = false;
  /**
   * After a service's first record, how long templates are learnt before "new" is news. Learning
   * ends when this time has passed and the service has logged {@link #learningRecords} records.
   */
  public Duration learningPeriod = Duration.ofMinutes(10);
  /**
   * Records a service must have logged before its learning ends, whatever the time: a service
   * that takes longer to start than the learning period, or is first called long after it
   * started, still has its first requests' messages learnt rather than reported.
   */
  public long learningRecords = 100;
  /** Rates are counted in windows of this length (of record time). */
  public Duration window = Duration.ofMinutes(1);
  /** A window's count is a surge when above mean + this many standard deviations... */
  public double surgeSigma = 4.0;
  /** ...and at least this many times the mean, and at least min_count. */
  public double surgeFactor = 3.0;
  public long minCount = 10;
  /** Weight of the newest window in the moving mean and variance. */
  public double smoothing = 0.1;
  /** Severity number from which a record counts as an error (17 = ERROR). */
  public int errorSeverity = 17;
  /** Traces whose last template is remembered, to spot transitions never seen before. */
  public int maxTraces = 10_000;
  /** Example trace IDs carried by an anomaly event. */
  public int exampleTraces = 3;
  /**
   * Instrumentation scopes (the logger name, for logs from the OpenTelemetry agent) whose records
   * are templated but never shown to the detectors: a name matches itself and the names below
   * it ({@code a.b} matches {@code a.b} and {@code a.b.C}). For a system's own commentary on
   * what it is doing on purpose, such as a fault injector announcing a fault.
   */
  public java.util.List<String> ignoreScopes = new java.util.ArrayList<>();
}
