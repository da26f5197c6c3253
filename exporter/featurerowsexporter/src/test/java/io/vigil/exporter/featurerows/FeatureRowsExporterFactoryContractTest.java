package io.vigil.exporter.featurerows;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;
import java.nio.file.Files;
import java.nio.file.Path;

/** The featurerows exporter keeps the component contract. */
class FeatureRowsExporterFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new FeatureRowsExporterFactory();
  }

  @Override
  protected String config(String backend) {
    try {
      Path dir = Files.createTempDirectory("featurerows-contract");
      return "{directory: \"" + dir.toString().replace("\\", "/") + "\"}";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code directory} is required: there is no good default place for training data. */
  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }
}
