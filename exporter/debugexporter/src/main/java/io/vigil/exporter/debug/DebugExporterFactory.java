package io.vigil.exporter.debug;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.ExporterFactory;
import io.vigil.core.config.ConfigException;
import java.util.Set;

/** Type {@code debug}: logs what it receives. */
public final class DebugExporterFactory implements ExporterFactory<DebugExporterConfig> {

  @Override
  public String type() {
    return "debug";
  }

  @Override
  public DebugExporterConfig createDefaultConfig() {
    return new DebugExporterConfig();
  }

  @Override
  public void validate(DebugExporterConfig c) {
    if (!Set.of("basic", "normal", "detailed").contains(c.verbosity)) {
      throw new ConfigException("verbosity",
          "unknown value \"" + c.verbosity + "\"; use basic, normal or detailed");
    }
    if (c.samplingInitial < 0 || c.samplingThereafter < 1) {
      throw new ConfigException("sampling_thereafter", "sampling_initial must be >= 0 and"
          + " sampling_thereafter >= 1");
    }
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  public Exporter create(ComponentSettings settings, DebugExporterConfig config, Set<Signal<?>> signals) {
    return new DebugExporter(settings, config);
  }
}
