package io.vigil.exporter.incidents;

import io.vigil.exporter.incidents.internal.H2IncidentStore;
import io.vigil.exporter.incidents.internal.IncidentStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded H2 store in a temporary directory. */
class H2IncidentStoreTest extends IncidentStoreContract {

  @TempDir Path dir;

  @Override
  IncidentStore openStore() {
    return H2IncidentStore.open(dir);
  }
}
