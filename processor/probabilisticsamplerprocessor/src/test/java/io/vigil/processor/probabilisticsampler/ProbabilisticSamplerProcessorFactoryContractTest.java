package io.vigil.processor.probabilisticsampler;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The sampler keeps the component contract. */
class ProbabilisticSamplerProcessorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new ProbabilisticSamplerProcessorFactory();
  }

  @Override
  protected String config(String backend) {
    return "{sampling_percentage: 25}";
  }
}
