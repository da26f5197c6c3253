package io.vigil.connector.anomaly;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The anomaly connector keeps the component contract, driven through the config and pipeline graph only (no model file). */
class AnomalyConnectorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new AnomalyConnectorFactory();
  }
}
