package io.vigil.processor.memorylimiter;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The memory limiter keeps the component contract. */
class MemoryLimiterProcessorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new MemoryLimiterProcessorFactory();
  }

  // Required: limit_mib or limit_percentage (the default sets neither and does not validate).
  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }

  @Override
  protected String config(String backend) {
    return "{check_interval: 100ms, limit_mib: 4096}";
  }
}
