package io.vigil.exporter.vigilstore;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.ExporterFactory;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/** Type {@code vigilstore}: an embedded store of spans, logs and metric points, with a console. */
public final class VigilStoreExporterFactory implements ExporterFactory<VigilStoreExporterConfig> {

  @Override
  public String type() {
    return "vigilstore";
  }

  @Override
  public VigilStoreExporterConfig createDefaultConfig() {
    return new VigilStoreExporterConfig();
  }

  @Override
  public void validate(VigilStoreExporterConfig config) {
    config.validate();
  }

  @Override
  public Map<String, String> listenAddresses(VigilStoreExporterConfig config) {
    return config.console.endpoint == null || config.console.endpoint.isBlank()
        ? Map.of() : Map.of("console::endpoint", config.console.endpoint);
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  @Override
  public Exporter create(
      ComponentSettings settings, VigilStoreExporterConfig config, Set<Signal<?>> signals) {
    return new VigilStoreExporter(settings, config, Clock.systemUTC());
  }
}
