package io.vigil.connector.failureprediction;

import com.google.protobuf.Message;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Connector;
import io.vigil.core.component.ConnectorFactory;
import io.vigil.core.component.ConnectorOutputs;
import io.vigil.core.config.ConfigException;
import io.vigil.featurerows.ModelRegistry;

/**
 * Type {@code failureprediction}: metrics in, failure predictions out as anomaly records
 * (logs), from the model registry's current model.
 */
public final class FailurePredictionConnectorFactory
    implements ConnectorFactory<FailurePredictionConfig> {

  @Override
  public String type() {
    return "failureprediction";
  }

  @Override
  public FailurePredictionConfig createDefaultConfig() {
    return new FailurePredictionConfig();
  }

  @Override
  public void validate(FailurePredictionConfig c) {
    if (c.registry == null || c.registry.isBlank()) {
      throw new ConfigException("registry", "required: the model registry directory"
          + " vigil-train --registry writes to");
    }
    try {
      ModelRegistry.checkName(c.model);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("model", e.getMessage());
    }
    c.validateFeatureRows();
    ConfigException.requirePositive(c.reloadInterval, "reload_interval");
    ConfigException.requirePositive(c.flushInterval, "flush_interval");
    if (c.threshold > 1) {
      throw new ConfigException("threshold", "must be at most 1 (negative: the model's own)");
    }
  }

  @Override
  public boolean supports(Signal<?> from, Signal<?> to) {
    return from == Signal.METRICS && to == Signal.LOGS;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <F extends Message> Connector<F> create(ComponentSettings settings,
      FailurePredictionConfig config, Signal<F> from, ConnectorOutputs outputs) {
    return (Connector<F>) new FailurePrediction(settings.id().toString(), config,
        settings.logger(FailurePrediction.class), outputs.get(Signal.LOGS).orElse(null),
        () -> System.currentTimeMillis() * 1_000_000L);
  }
}
