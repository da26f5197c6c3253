package io.vigil.connector.templatecounts;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The templatecounts connector keeps the component contract, driven through the config and pipeline graph only. */
class TemplateCountsConnectorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new TemplateCountsConnectorFactory();
  }
}
