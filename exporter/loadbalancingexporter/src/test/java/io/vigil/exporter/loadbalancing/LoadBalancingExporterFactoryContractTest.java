package io.vigil.exporter.loadbalancing;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The loadbalancing exporter keeps the component contract against an absent or stalled backend. */
class LoadBalancingExporterFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new LoadBalancingExporterFactory();
  }

  // Required: resolver (the backends).
  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }

  @Override
  protected String config(String backend) {
    return "{resolver: {static: {hostnames: [\"" + backend + "\"]}},"
        + " protocol: {otlp: {timeout: 1s, tls: {insecure: true}}}}";
  }
}
