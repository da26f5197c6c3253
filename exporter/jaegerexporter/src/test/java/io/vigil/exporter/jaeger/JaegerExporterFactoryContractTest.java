package io.vigil.exporter.jaeger;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The Jaeger exporter keeps the component contract against a backend that is absent or stalled. */
class JaegerExporterFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new JaegerExporterFactory();
  }

  // No required key: the default endpoint is jaeger-collector:4317 (Jaeger's own default). The
  // tests point it at a local backend that is absent or stalled instead.
  @Override
  protected String config(String backend) {
    return "{endpoint: \"http://" + backend + "\"}";
  }
}
