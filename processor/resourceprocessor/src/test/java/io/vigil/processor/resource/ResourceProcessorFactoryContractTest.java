package io.vigil.processor.resource;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The resource processor keeps the component contract. */
class ResourceProcessorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new ResourceProcessorFactory();
  }

  // Required: attributes (the Collector refuses a resource processor without any).
  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }

  @Override
  protected String config(String backend) {
    return "{attributes: [{key: deployment.environment, value: prod, action: upsert}]}";
  }
}
