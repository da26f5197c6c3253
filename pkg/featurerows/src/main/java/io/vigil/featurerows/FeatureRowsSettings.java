package io.vigil.featurerows;

import io.vigil.core.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The keys the {@code featurerows} exporter and the {@code failureprediction} connector share,
 * so that a model trained on the exporter's rows is fed the same features live: the window,
 * the lateness allowed, and the features. Component configs extend it.
 */
public class FeatureRowsSettings {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
  /** How far back a {@code change} feature may look, in windows (rows kept per service). */
  static final int MAX_CHANGE_WINDOWS = 1000;

  /** One row per service and window of this length (aligned to the epoch, UTC). */
  public Duration window = Duration.ofSeconds(30);
  /** How long after a window's end its row waits for late points before it is closed. */
  public Duration delay = Duration.ofSeconds(5);
  /** Resource attribute naming the service a point belongs to. */
  public String serviceAttribute = "service.name";
  /** Services followed at once; points of further services are dropped (and counted). */
  public int maxServices = 1000;
  /** Series whose previous point is remembered (for cumulative counters and histograms). */
  public int maxSeries = 100_000;
  /** The features, in column order; empty = {@link #defaultFeatures()}. */
  public List<FeatureSpec> features = new ArrayList<>();

  /**
   * Span metrics (request rate, error ratio and p95 latency of server spans), JVM heap used and
   * limit, CPU utilisation, log records per second (template counts) and the highest anomaly
   * score: what the demo's services and the gateway's own connectors emit.
   */
  public static List<FeatureSpec> defaultFeatures() {
    return List.of(
        new FeatureSpec("request_rate", "traces.span.metrics.calls", "rate")
            .where("span.kind", "SPAN_KIND_SERVER"),
        new FeatureSpec("error_ratio", "traces.span.metrics.calls", "ratio")
            .where("span.kind", "SPAN_KIND_SERVER")
            .numerator("status.code", "STATUS_CODE_ERROR"),
        new FeatureSpec("latency_p95", "traces.span.metrics.duration", "quantile")
            .where("span.kind", "SPAN_KIND_SERVER").quantile(0.95),
        new FeatureSpec("heap_used", "jvm.memory.used", "last")
            .where("jvm.memory.type", "heap"),
        new FeatureSpec("heap_limit", "jvm.memory.limit", "last")
            .where("jvm.memory.type", "heap"),
        new FeatureSpec("cpu_utilization", "jvm.cpu.recent_utilization", "mean"),
        new FeatureSpec("log_records_rate", "log.template.records", "rate"),
        new FeatureSpec("anomaly_score_max", "vigil.anomaly.score", "max"));
  }

  /** The configured features, or the defaults when none are. */
  public List<FeatureSpec> effectiveFeatures() {
    return features == null || features.isEmpty() ? defaultFeatures() : features;
  }

  /** Checks the shared keys; a problem names its key path. */
  public void validateFeatureRows() {
    if (window == null || window.toMillis() < 1) {
      throw new ConfigException("window", "must be at least 1ms");
    }
    if (delay == null || delay.isNegative()) {
      throw new ConfigException("delay", "must not be negative");
    }
    if (serviceAttribute == null || serviceAttribute.isBlank()) {
      throw new ConfigException("service_attribute", "must not be empty");
    }
    if (maxServices < 1) {
      throw new ConfigException("max_services", "must be at least 1");
    }
    if (maxSeries < 1) {
      throw new ConfigException("max_series", "must be at least 1");
    }
    if (features == null) {
      throw new ConfigException("features", "must be a list (empty for the defaults)");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < features.size(); i++) {
      FeatureSpec f = features.get(i);
      String path = "features::" + i + "::";
      if (f == null) {
        throw new ConfigException("features::" + i, "must be a mapping with name, metric and"
            + " aggregation");
      }
      if (f.name == null || !NAME.matcher(f.name).matches()) {
        throw new ConfigException(path + "name", "must match " + NAME.pattern() + ", not \""
            + f.name + "\"");
      }
      if (f.name.equals("service") || f.name.startsWith("window_")) {
        throw new ConfigException(path + "name", "\"" + f.name + "\" is a row key column");
      }
      if (!names.add(f.name)) {
        throw new ConfigException(path + "name", "\"" + f.name + "\" is named twice");
      }
      Aggregation a = Aggregation.parse(f.aggregation);
      if (a == null) {
        throw new ConfigException(path + "aggregation", "unknown \"" + f.aggregation
            + "\"; use last, mean, max, min, min_total, sum, rate, ratio, quantile or change");
      }
      if (a == Aggregation.CHANGE) {
        validateChange(f, path, names);
        continue;
      }
      if (f.metric == null || f.metric.isBlank()) {
        throw new ConfigException(path + "metric", "must name a metric");
      }
      if (f.where == null || f.numerator == null) {
        throw new ConfigException(path + (f.where == null ? "where" : "numerator"),
            "must be a mapping of attribute to value");
      }
      if (a == Aggregation.RATIO && f.numerator.isEmpty()) {
        throw new ConfigException(path + "numerator", "ratio needs the attributes of the"
            + " points counted above the line, e.g. {status.code: STATUS_CODE_ERROR}");
      }
      if (a == Aggregation.QUANTILE && !(f.quantile > 0 && f.quantile < 1)) {
        throw new ConfigException(path + "quantile", "must be above 0 and below 1");
      }
    }
  }

  private void validateChange(FeatureSpec f, String path, Set<String> earlier) {
    if (f.metric != null && !f.metric.isBlank()) {
      throw new ConfigException(path + "metric", "change reads the feature named by of, not a"
          + " metric");
    }
    if (f.of == null || !earlier.contains(f.of) || f.of.equals(f.name)) {
      throw new ConfigException(path + "of", "must name a feature listed before this one, not \""
          + f.of + "\"");
    }
    long w = window.toNanos();
    if (f.over == null || f.over.toNanos() < w || f.over.toNanos() % w != 0) {
      throw new ConfigException(path + "over", "must be a whole number of windows (" + window
          + "), not " + f.over);
    }
    if (f.over.toNanos() / w > MAX_CHANGE_WINDOWS) {
      throw new ConfigException(path + "over", "at most " + MAX_CHANGE_WINDOWS + " windows"
          + " back: each service keeps that many rows");
    }
  }
}
