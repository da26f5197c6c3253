package io.vigil.exporter.loadbalancing;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** {@code resolver::static}: the configured list, fixed for the exporter's life. */
final class StaticBackends implements BackendResolver {

  private final Set<String> endpoints = new LinkedHashSet<>();

  StaticBackends(List<String> hostnames) {
    for (String h : hostnames) {
      endpoints.add(LoadBalancingExporterConfig.withDefaultPort(h));
    }
  }

  @Override
  public void start(Consumer<Set<String>> onChange) {
    onChange.accept(Set.copyOf(endpoints));
  }

  @Override
  public void shutdown() {}
}
