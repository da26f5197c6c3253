package io.vigil.exporter.incidents;

import static io.vigil.exporter.incidents.AnomalyRecords.T0;
import static io.vigil.exporter.incidents.AnomalyRecords.batch;
import static io.vigil.exporter.incidents.AnomalyRecords.log;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.ConsumeException;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.exporter.incidents.internal.IncidentsExporter;
import io.vigil.testing.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentsExporterTest {

  @TempDir Path dir;
  private final GatewayTelemetry telemetry = new GatewayTelemetry();

  private IncidentsExporter start(Path directory) throws Exception {
    IncidentsExporterConfig c = new IncidentsExporterConfig();
    c.directory = directory.toString();
    c.api.endpoint = "";
    IncidentsExporter e = (IncidentsExporter) new IncidentsExporterFactory().create(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("incidents"), telemetry),
        c, Set.of(Signal.LOGS));
    e.start();
    return e;
  }

  @Test
  void countsAnomalyRecordsByOutcome() throws Exception {
    IncidentsExporter e = start(dir);
    var r = log("new_template", "orders", "o1", "x <*>", T0, "t1");
    e.consumer(Signal.LOGS).consume(batch(r, r,
        log("error_surge", "orders", "o2", "y", T0.plusSeconds(60)))).get(5, TimeUnit.SECONDS);
    e.shutdown(Instant.now().plusSeconds(2));

    assertThat(Metrics.value(telemetry, "vigil_incidents_anomaly_records", "outcome", "opened"))
        .isEqualTo(1);
    assertThat(Metrics.value(telemetry, "vigil_incidents_anomaly_records", "outcome", "joined"))
        .isEqualTo(1);
    assertThat(Metrics.value(telemetry, "vigil_incidents_anomaly_records", "outcome",
        "duplicate")).isEqualTo(1);
    assertThat(Metrics.value(telemetry, "otelcol_exporter_sent_log_records", "exporter",
        "incidents")).isEqualTo(3);
  }

  @Test
  void refusesTheBatchAsRetryableWhenTheStoreFails() throws Exception {
    IncidentsExporter e = start(dir);
    // The store closed under the exporter stands for a failed disk.
    e.shutdown(Instant.now().plusSeconds(2));

    CompletableFuture<Void> f = e.consumer(Signal.LOGS).consume(batch(
        log("new_template", "orders", "o1", "x", T0)));

    assertThat(f).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(ConsumeException.class)
        .satisfies(c -> assertThat(((ConsumeException) c).kind())
            .isEqualTo(ConsumeException.Kind.RETRYABLE))
        .withMessageContaining("incident store");
  }

  @Test
  void startFailsNamingTheDirectoryWhenItCannotBeCreated() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(file.resolve("sub")))
        .hasMessageContaining("cannot open the incident store in " + file.resolve("sub"));
  }
}
