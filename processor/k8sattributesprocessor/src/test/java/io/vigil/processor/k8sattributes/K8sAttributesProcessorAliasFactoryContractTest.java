package io.vigil.processor.k8sattributes;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The {@code k8s_attributes} spelling keeps the contract too (in passthrough: no API server). */
class K8sAttributesProcessorAliasFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new K8sAttributesProcessorAliasFactory();
  }

  @Override
  protected String config(String backend) {
    return "{passthrough: true}";
  }
}
