package io.vigil.exporter.prometheus;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

import io.vigil.testing.FreePort;

/** The Prometheus exporter keeps the component contract; it serves scrapes on a free port (it has no backend, so nothing downstream can stall). */
class PrometheusExporterFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new PrometheusExporterFactory();
  }

  private final String endpoint = FreePort.endpoint();

  @Override
  protected String config(String backend) {
    return "{endpoint: \"" + endpoint + "\"}";
  }
}
