package io.vigil.processor.attributes;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The attributes processor keeps the component contract. */
class AttributesProcessorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new AttributesProcessorFactory();
  }

  // Required: actions (the Collector refuses an attributes processor without any).
  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }

  @Override
  protected String config(String backend) {
    return "{actions: [{key: deployment.environment, value: prod, action: upsert}]}";
  }
}
