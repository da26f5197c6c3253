package io.vigil.exporter.vigilstore;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The query contract on the embedded Lucene store. */
class LuceneTelemetryQueryTest extends TelemetryQueryContract {

  @TempDir
  static Path directory;
  private static TelemetryStore store;

  @BeforeAll
  static void store() throws IOException {
    Clock clock = Clock.fixed(ShopTraffic.START.plus(Duration.ofHours(1)), ZoneOffset.UTC);
    store = new TelemetryStore(directory, Duration.ofHours(24), 0, clock);
    store.addSpans(ShopTraffic.traces());
    store.addLogs(ShopTraffic.logs());
  }

  @AfterAll
  static void close() throws IOException {
    store.close();
  }

  @Override
  TelemetryQuery query() {
    return store.query();
  }
}
