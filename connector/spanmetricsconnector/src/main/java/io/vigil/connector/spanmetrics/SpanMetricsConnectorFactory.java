package io.vigil.connector.spanmetrics;

import com.google.protobuf.Message;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Connector;
import io.vigil.core.component.ConnectorFactory;
import io.vigil.core.component.ConnectorOutputs;
import io.vigil.core.config.ConfigException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/** Type {@code spanmetrics}: traces in, RED metrics out. */
public final class SpanMetricsConnectorFactory implements ConnectorFactory<SpanMetricsConfig> {

  private static final Set<String> TEMPORALITIES = Set.of(
      "AGGREGATION_TEMPORALITY_CUMULATIVE", "AGGREGATION_TEMPORALITY_DELTA");
  /** Already on every point: a dimension of the same name would clash. */
  private static final Set<String> DEFAULT_DIMENSIONS = Set.of(SpanMetricNames.SERVICE_NAME,
      SpanMetricNames.SPAN_NAME, SpanMetricNames.SPAN_KIND, SpanMetricNames.STATUS_CODE);

  @Override
  public String type() {
    return "spanmetrics";
  }

  @Override
  public SpanMetricsConfig createDefaultConfig() {
    return new SpanMetricsConfig();
  }

  @Override
  public void validate(SpanMetricsConfig c) {
    if (!c.histogram.unit.equals("ms") && !c.histogram.unit.equals("s")) {
      throw new ConfigException("histogram::unit",
          "unsupported unit \"" + c.histogram.unit + "\"; use ms or s");
    }
    var buckets = c.histogram.explicit.buckets;
    if (buckets == null || buckets.isEmpty()) {
      throw new ConfigException("histogram::explicit::buckets", "needs at least one bucket");
    }
    for (int i = 0; i < buckets.size(); i++) {
      Duration b = buckets.get(i);
      if (b == null || b.isNegative() || b.isZero()) {
        throw new ConfigException("histogram::explicit::buckets::" + i, "must be positive");
      }
      if (i > 0 && b.compareTo(buckets.get(i - 1)) <= 0) {
        throw new ConfigException("histogram::explicit::buckets::" + i,
            "must be larger than the bucket before it");
      }
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < c.dimensions.size(); i++) {
      String name = c.dimensions.get(i).name;
      if (name == null || name.isBlank()) {
        throw new ConfigException("dimensions::" + i + "::name", "required");
      }
      if (DEFAULT_DIMENSIONS.contains(name) || !seen.add(name)) {
        throw new ConfigException("dimensions::" + i + "::name",
            "\"" + name + "\" is already a dimension");
      }
    }
    if (c.exemplars.maxPerDataPoint < 0) {
      throw new ConfigException("exemplars::max_per_data_point", "must not be negative");
    }
    if (c.metricsFlushInterval == null || c.metricsFlushInterval.isNegative()
        || c.metricsFlushInterval.isZero()) {
      throw new ConfigException("metrics_flush_interval", "must be a positive duration");
    }
    if (!TEMPORALITIES.contains(c.aggregationTemporality)) {
      throw new ConfigException("aggregation_temporality", "unsupported value \""
          + c.aggregationTemporality + "\"; use AGGREGATION_TEMPORALITY_CUMULATIVE or"
          + " AGGREGATION_TEMPORALITY_DELTA");
    }
  }

  @Override
  public boolean supports(Signal<?> from, Signal<?> to) {
    return from == Signal.TRACES && to == Signal.METRICS;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <F extends Message> Connector<F> create(
      ComponentSettings settings, SpanMetricsConfig config, Signal<F> from,
      ConnectorOutputs outputs) {
    return (Connector<F>) new SpanMetricsConnector(
        settings, config, outputs.get(Signal.METRICS).orElseThrow(), Clock.systemUTC());
  }
}
