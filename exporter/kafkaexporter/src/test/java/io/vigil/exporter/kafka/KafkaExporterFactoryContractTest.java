package io.vigil.exporter.kafka;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The kafka exporter keeps the component contract against a broker that is absent or stalled. */
class KafkaExporterFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new KafkaExporterFactory();
  }

  @Override
  protected String config(String backend) {
    return "{brokers: [\"" + backend + "\"], timeout: 1s}";
  }
}
