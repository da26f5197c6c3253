package io.vigil.connector.anomaly;

import io.vigil.analysis.anomaly.DetectorSettings;
import io.vigil.analysis.anomaly.ForestSettings;
import io.vigil.analysis.anomaly.NeighbourSettings;

import com.google.protobuf.Message;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Connector;
import io.vigil.core.component.ConnectorFactory;
import io.vigil.core.component.ConnectorOutputs;
import io.vigil.core.config.ConfigException;

/**
 * Type {@code anomaly}: metrics in; anomaly scores out as metrics, anomaly events out as logs.
 * One connector instance per ID feeds both outputs from one set of detectors, so each point is
 * scored once; a config may wire either output alone.
 */
public final class AnomalyConnectorFactory implements ConnectorFactory<MetricAnomalyConfig> {

  @Override
  public String type() {
    return "anomaly";
  }

  @Override
  public MetricAnomalyConfig createDefaultConfig() {
    return new MetricAnomalyConfig();
  }

  @Override
  public void validate(MetricAnomalyConfig c) {
    DetectorSettings d = c.detector;
    if (d == null) {
      throw new ConfigException("detector", "must be a mapping");
    }
    if (!DetectorSettings.NEIGHBOURS.equals(d.algorithm)
        && !DetectorSettings.ISOLATION_FOREST.equals(d.algorithm)) {
      throw new ConfigException("detector::algorithm", "must be " + DetectorSettings.NEIGHBOURS
          + " or " + DetectorSettings.ISOLATION_FOREST + ", not \"" + d.algorithm + "\"");
    }
    if (d.neighbours == null) {
      throw new ConfigException("detector::neighbours", "must be a mapping");
    }
    validate(d.neighbours, "detector::neighbours::");
    if (d.isolationForest == null) {
      throw new ConfigException("detector::isolation_forest", "must be a mapping");
    }
    validate(d.isolationForest, "detector::isolation_forest::");
    if (c.threshold > 1) {
      throw new ConfigException("threshold", "must be at most 1 (or negative for the default)");
    }
    if (c.modelFile == null) {
      throw new ConfigException("model_file", "must be a path or \"\"");
    }
    ConfigException.requirePositive(c.reloadInterval, "reload_interval");
    if (c.maxSeries < 1) {
      throw new ConfigException("max_series", "must be at least 1");
    }
    if (c.scoreMetric == null || c.scoreMetric.isBlank()) {
      throw new ConfigException("score_metric", "must not be empty");
    }
    if (c.metrics == null) {
      throw new ConfigException("metrics", "must be a mapping");
    }
    MetricNameFilter.validate(c.metrics.include, "metrics::include");
    MetricNameFilter.validate(c.metrics.exclude, "metrics::exclude");
  }

  @Override
  public boolean supports(Signal<?> from, Signal<?> to) {
    return from == Signal.METRICS && (to == Signal.METRICS || to == Signal.LOGS);
  }

  /** Scores go to {@code outputs}' metrics consumer, events to its logs one, if present. */
  @Override
  @SuppressWarnings("unchecked")
  public <F extends Message> Connector<F> create(ComponentSettings settings,
      MetricAnomalyConfig config, Signal<F> from, ConnectorOutputs outputs) {
    String id = settings.id().toString();
    return (Connector<F>) new AnomalyDetection(id, config,
        settings.logger(AnomalyDetection.class),
        outputs.get(Signal.METRICS).orElse(null), outputs.get(Signal.LOGS).orElse(null));
  }

  private static void validate(NeighbourSettings n, String path) {
    if (n.scales == null || n.scales.isEmpty()) {
      throw new ConfigException(path + "scales", "must list at least one {shingle, block}");
    }
    for (int i = 0; i < n.scales.size(); i++) {
      NeighbourSettings.Scale s = n.scales.get(i);
      if (s == null || s.shingle < 1 || s.shingle > 256 || s.block < 1 || s.block > 1024) {
        throw new ConfigException(path + "scales::" + i,
            "needs shingle between 1 and 256 and block between 1 and 1024");
      }
    }
    if (n.neighbours < 1 || n.neighbours > 20) {
      throw new ConfigException(path + "neighbours", "must be between 1 and 20");
    }
    if (n.history < 16) {
      throw new ConfigException(path + "history", "must be at least 16");
    }
    if (n.tailHistory < 50) {
      throw new ConfigException(path + "tail_history", "must be at least 50");
    }
    if (!(n.tailFraction > 0 && n.tailFraction < 0.5)) {
      throw new ConfigException(path + "tail_fraction", "must be above 0 and below 0.5");
    }
    if (n.onsetPoints < 0 || !(n.onsetFactor >= 0)) {
      throw new ConfigException(path + "onset_points",
          "onset_points and onset_factor must not be negative");
    }
    if (n.warmupPoints < 0) {
      throw new ConfigException(path + "warmup_points", "must not be negative");
    }
    if (!(n.alarmLevel > 0 && n.alarmLevel <= 1)) {
      throw new ConfigException(path + "alarm_level", "must be above 0 and at most 1");
    }
  }

  private static void validate(ForestSettings d, String path) {
    if (d.shingle < 1 || d.shingle > 64) {
      throw new ConfigException(path + "shingle", "must be between 1 and 64");
    }
    if (d.history < Math.max(d.sampleSize, 16)) {
      throw new ConfigException(path + "history", "must be at least sample_size ("
          + d.sampleSize + ") and 16");
    }
    if (d.firstFit < d.shingle + 1) {
      throw new ConfigException(path + "first_fit", "must exceed shingle (" + d.shingle + ")");
    }
    if (d.refitEvery < 1 || d.trees < 1 || d.sampleSize < 2 || d.rankHistory < 50) {
      throw new ConfigException(path + "refit_every",
          "refit_every and trees must be at least 1, sample_size 2, rank_history 50");
    }
    if (!(d.alarmLevel > 0 && d.alarmLevel <= 1)) {
      throw new ConfigException(path + "alarm_level", "must be above 0 and at most 1");
    }
    if (d.restPoints < 0 || d.restBreakFactor < 1) {
      throw new ConfigException(path + "rest_points",
          "rest_points must not be negative, rest_break_factor at least 1");
    }
  }
}
