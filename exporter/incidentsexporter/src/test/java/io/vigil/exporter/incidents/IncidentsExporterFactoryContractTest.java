package io.vigil.exporter.incidents;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;
import io.vigil.testing.FreePort;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incidents exporter keeps the component contract with its store in a temporary directory
 * and its API on a free port. The default config does not validate: {@code directory} is
 * required.
 */
class IncidentsExporterFactoryContractTest extends ComponentFactoryContract {

  @TempDir Path dir;

  @Override
  protected ComponentFactory<?> factory() {
    return new IncidentsExporterFactory();
  }

  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }

  @Override
  protected String config(String backend) {
    // The exporter has no backend to call; the store and the API are its own.
    return "{directory: \"" + dir.toString().replace("\\", "/") + "\", api: {endpoint: "
        + FreePort.endpoint() + "}}";
  }
}
