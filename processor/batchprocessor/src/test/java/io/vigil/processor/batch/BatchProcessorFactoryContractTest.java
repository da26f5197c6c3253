package io.vigil.processor.batch;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The batch processor keeps the component contract with its defaults. */
class BatchProcessorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new BatchProcessorFactory();
  }
}
