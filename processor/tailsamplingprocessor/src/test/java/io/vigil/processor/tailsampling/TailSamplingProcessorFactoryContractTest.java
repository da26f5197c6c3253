package io.vigil.processor.tailsampling;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The tail_sampling processor keeps the component contract. */
class TailSamplingProcessorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new TailSamplingProcessorFactory();
  }

  // Required: policies (the Collector's default has none either).
  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }

  @Override
  protected String config(String backend) {
    return "{decision_wait: 100ms, policies: [{name: all, type: always_sample}]}";
  }
}
