package io.vigil.exporter.otlphttp;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The OTLP/HTTP exporter keeps the component contract against a backend that is absent or stalled. */
class OtlpHttpExporterFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new OtlpHttpExporterFactory();
  }

  // Required: endpoint (or all three per-signal endpoints); the default sets none.
  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }

  @Override
  protected String config(String backend) {
    return "{endpoint: \"http://" + backend + "\"}";
  }
}
