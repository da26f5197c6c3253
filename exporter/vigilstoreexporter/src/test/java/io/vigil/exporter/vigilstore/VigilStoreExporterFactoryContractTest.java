package io.vigil.exporter.vigilstore;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;
import io.vigil.testing.FreePort;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vigilstore exporter keeps the component contract with its store in a temporary directory
 * and its console on a free port. The default config does not validate: {@code directory} is
 * required.
 */
class VigilStoreExporterFactoryContractTest extends ComponentFactoryContract {

  @TempDir Path dir;

  @Override
  protected ComponentFactory<?> factory() {
    return new VigilStoreExporterFactory();
  }

  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }

  @Override
  protected String config(String backend) {
    // The store is its own backend; the console listens on a free loopback port.
    return "{directory: \"" + dir.toString().replace("\\", "/") + "\", console: {endpoint: "
        + FreePort.endpoint() + "}}";
  }
}
