package io.vigil.processor.probabilisticsampler;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The sampler keeps the component contract. */
class ProbabilisticSamplerProcessorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new ProbabilisticSamplerProcessorFactory();
  }

  // 100 %: the contract's sample batches (random trace IDs) must reach the downstream it stalls;
  // at a lower rate a run could sample them all out. Rates are the sampler's own tests' job.
  @Override
  protected String config(String backend) {
    return "{sampling_percentage: 100}";
  }
}
