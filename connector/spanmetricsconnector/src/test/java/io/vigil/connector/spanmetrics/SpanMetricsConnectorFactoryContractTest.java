package io.vigil.connector.spanmetrics;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The spanmetrics connector keeps the component contract, driven through the config and pipeline graph only. */
class SpanMetricsConnectorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new SpanMetricsConnectorFactory();
  }
}
