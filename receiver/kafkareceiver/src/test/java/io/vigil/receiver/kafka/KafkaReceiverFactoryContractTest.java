package io.vigil.receiver.kafka;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/**
 * The kafka receiver keeps the component contract with a broker address where nothing
 * listens: it starts, and shuts down within its deadline, while the client cannot connect.
 */
class KafkaReceiverFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new KafkaReceiverFactory();
  }

  @Override
  protected String config(String backend) {
    return "{brokers: [\"" + backend + "\"]}";
  }
}
