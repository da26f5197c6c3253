package io.vigil.connector.templatecounts;

import com.google.protobuf.Message;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Connector;
import io.vigil.core.component.ConnectorFactory;
import io.vigil.core.component.ConnectorOutputs;
import io.vigil.core.config.ConfigException;

/**
 * Type {@code templatecounts}: logs in (after the logtemplate processor), metrics out — the
 * number of records per service and template in each window, so the metrics anomaly connector
 * (built-in forests or an ONNX model) can score log template rates like any other series.
 */
public final class TemplateCountsConnectorFactory
    implements ConnectorFactory<TemplateCountsConfig> {

  @Override
  public String type() {
    return "templatecounts";
  }

  @Override
  public TemplateCountsConfig createDefaultConfig() {
    return new TemplateCountsConfig();
  }

  @Override
  public void validate(TemplateCountsConfig c) {
    ConfigException.requirePositive(c.window, "window");
    if (c.idAttribute == null || c.idAttribute.isBlank()) {
      throw new ConfigException("id_attribute", "must not be empty");
    }
    if (c.maxTemplates < 1) {
      throw new ConfigException("max_templates", "must be at least 1");
    }
    if (c.idleWindows < 0) {
      throw new ConfigException("idle_windows", "must not be negative");
    }
    if (c.metric == null || c.metric.isBlank()) {
      throw new ConfigException("metric", "must not be empty");
    }
  }

  @Override
  public boolean supports(Signal<?> from, Signal<?> to) {
    return from == Signal.LOGS && to == Signal.METRICS;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <F extends Message> Connector<F> create(ComponentSettings settings,
      TemplateCountsConfig config, Signal<F> from, ConnectorOutputs outputs) {
    return (Connector<F>) new TemplateCountsConnector(settings.id().toString(), config,
        outputs.get(Signal.METRICS).orElseThrow(),
        settings.logger(TemplateCountsConnector.class));
  }
}
