package io.vigil.extension.basicauth;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The basicauth extension keeps the component contract beside a pipeline. */
class BasicAuthFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new BasicAuthFactory();
  }

  // Required: htpasswd or client_auth (there are no default credentials).
  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }

  @Override
  protected String config(String backend) {
    return "{client_auth: {username: contract, password: secret}}";
  }
}
