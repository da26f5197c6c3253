package io.vigil.processor.logtemplate;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The log template processor keeps the component contract with its defaults (no state file). */
class LogTemplateProcessorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new LogTemplateProcessorFactory();
  }
}
