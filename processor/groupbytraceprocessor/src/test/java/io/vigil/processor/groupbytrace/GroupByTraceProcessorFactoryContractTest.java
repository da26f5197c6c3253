package io.vigil.processor.groupbytrace;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** groupbytrace keeps the component contract (shutdown sends what it holds). */
class GroupByTraceProcessorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new GroupByTraceProcessorFactory();
  }

  @Override
  protected String config(String backend) {
    return "{wait_duration: 200ms}";
  }
}
