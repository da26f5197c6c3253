package io.vigil.exporter.debug;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The debug exporter keeps the component contract with its defaults (it has no backend). */
class DebugExporterFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new DebugExporterFactory();
  }
}
