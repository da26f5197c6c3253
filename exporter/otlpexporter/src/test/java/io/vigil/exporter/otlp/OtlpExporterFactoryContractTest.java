package io.vigil.exporter.otlp;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The OTLP/gRPC exporter keeps the component contract against a backend that is absent or stalled. */
class OtlpExporterFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new OtlpExporterFactory();
  }

  // Required: endpoint (the default is empty and does not validate).
  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }

  @Override
  protected String config(String backend) {
    return "{endpoint: \"http://" + backend + "\"}";
  }
}
