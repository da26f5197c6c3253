package io.vigil.exporter.alerts;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The alerts exporter keeps the component contract, posting to a webhook that is absent or stalled. */
class AlertsExporterFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new AlertsExporterFactory();
  }

  @Override
  protected String config(String backend) {
    return "{webhook_url: \"http://" + backend + "/hook\"}";
  }
}
