package io.vigil.exporter.prometheusremotewrite;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The Prometheus remote-write exporter keeps the component contract against a backend that is absent or stalled. */
class RemoteWriteExporterFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new RemoteWriteExporterFactory();
  }

  // Required: endpoint, the remote-write URL (the default is empty).
  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }

  @Override
  protected String config(String backend) {
    return "{endpoint: \"http://" + backend + "/api/v1/write\"}";
  }
}
