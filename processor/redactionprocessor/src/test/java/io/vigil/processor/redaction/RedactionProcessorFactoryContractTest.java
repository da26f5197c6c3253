package io.vigil.processor.redaction;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The redaction processor keeps the component contract. */
class RedactionProcessorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new RedactionProcessorFactory();
  }
}
