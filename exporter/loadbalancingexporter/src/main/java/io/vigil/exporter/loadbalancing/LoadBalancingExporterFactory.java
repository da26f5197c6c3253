package io.vigil.exporter.loadbalancing;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.ExporterFactory;
import java.util.Set;

/** Type {@code loadbalancing}: each trace to one backend, chosen on a consistent-hash ring. */
public final class LoadBalancingExporterFactory
    implements ExporterFactory<LoadBalancingExporterConfig> {

  @Override
  public String type() {
    return "loadbalancing";
  }

  @Override
  public LoadBalancingExporterConfig createDefaultConfig() {
    return new LoadBalancingExporterConfig();
  }

  @Override
  public void validate(LoadBalancingExporterConfig c) {
    c.validate();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.TRACES, Signal.LOGS, Signal.METRICS);
  }

  @Override
  public Exporter create(
      ComponentSettings settings, LoadBalancingExporterConfig config, Set<Signal<?>> signals) {
    return new LoadBalancingExporter(settings, config, signals);
  }
}
