package io.vigil.processor.filter;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The filter processor keeps the component contract. */
class FilterProcessorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new FilterProcessorFactory();
  }

  @Override
  protected String config(String backend) {
    return "{error_mode: ignore, traces: {span: ['name == \"/_healthz\"']}, logs: {log_record: ['severity_number < 9']}}";
  }
}
