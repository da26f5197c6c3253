package io.vigil.exporter.elasticsearch;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;

/** The Elasticsearch exporter keeps the component contract against a cluster that is absent or stalled. */
class ElasticsearchExporterFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new ElasticsearchExporterFactory();
  }

  // Required: endpoint or endpoints (the default sets neither).
  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }

  @Override
  protected String config(String backend) {
    return "{endpoint: \"http://" + backend + "\"}";
  }
}
