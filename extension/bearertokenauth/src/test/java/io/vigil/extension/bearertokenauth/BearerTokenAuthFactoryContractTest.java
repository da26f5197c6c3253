package io.vigil.extension.bearertokenauth;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The bearertokenauth extension keeps the component contract beside a pipeline. */
class BearerTokenAuthFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new BearerTokenAuthFactory();
  }

  // Required: a token source (there is no safe default secret).
  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }

  @Override
  protected String config(String backend) {
    return "{token: contract-token}";
  }
}
