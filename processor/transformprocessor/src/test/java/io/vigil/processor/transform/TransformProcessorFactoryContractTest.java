package io.vigil.processor.transform;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The transform processor keeps the component contract. */
class TransformProcessorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new TransformProcessorFactory();
  }

  @Override
  protected String config(String backend) {
    return "{trace_statements: ['set(span.attributes[\"env\"], \"prod\")'],"
        + " log_statements: ['set(log.severity_text, \"WARN\") where log.severity_number == 13']}";
  }
}
