package io.vigil.connector.failureprediction;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The failureprediction connector keeps the component contract (an empty registry: no model). */
class FailurePredictionConnectorFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new FailurePredictionConnectorFactory();
  }

  @Override
  protected String config(String backend) {
    try {
      String dir = Files.createTempDirectory("failureprediction-contract").toString();
      return "{registry: \"" + dir.replace("\\", "/") + "\"}";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code registry} is required: a predictor without a model predicts nothing. */
  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }
}
