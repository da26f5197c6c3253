package io.vigil.exporter.vigilstore;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.config.GoDuration;
import io.vigil.core.config.HostPort;
import io.vigil.core.telemetry.GatewayTelemetry.ExporterTelemetry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Writes every batch into the embedded store before answering, so a batch is accepted once it
 * is searchable (Lucene's in-memory buffer; a commit every few seconds makes it durable), and
 * serves the console. There is no sending queue: a local write takes microseconds, and a disk
 * that fails is reported to the sender as a retryable refusal.
 */
final class VigilStoreExporter implements Exporter {

  /** How often written data is committed: what a crash can lose at most. */
  private static final long COMMIT_SECONDS = 5;
  private static final long RETENTION_CHECK_SECONDS = 60;

  private final VigilStoreExporterConfig config;
  private final ExporterTelemetry telemetry;
  private final Clock clock;
  private final Logger log;
  private final String id;
  private TelemetryStore store;
  private ConsoleServer console;
  private ScheduledExecutorService housekeeping;

  VigilStoreExporter(ComponentSettings settings, VigilStoreExporterConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.telemetry = settings.telemetry().exporter(settings.id());
    this.log = settings.logger(VigilStoreExporter.class);
    this.id = settings.id().toString();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Message> Consumer<T> consumer(Signal<T> signal) {
    if (signal == Signal.TRACES) {
      return batch -> write(signal, batch, () -> store.addSpans((ExportTraceServiceRequest) batch));
    }
    if (signal == Signal.LOGS) {
      return batch -> write(signal, batch, () -> store.addLogs((ExportLogsServiceRequest) batch));
    }
    if (signal == Signal.METRICS) {
      return batch -> write(signal, batch,
          () -> store.addMetrics((ExportMetricsServiceRequest) batch));
    }
    return null;
  }

  private interface Write {
    long run() throws IOException;
  }

  private <T extends Message> CompletableFuture<Void> write(Signal<T> signal, T batch, Write w) {
    int items = signal.itemCount(batch);
    try {
      long expired = w.run();
      telemetry.sent(signal, items - expired);
      if (expired > 0) {
        telemetry.sendFailed(signal, expired, "older_than_retention");
      }
      return CompletableFuture.completedFuture(null);
    } catch (IOException | RuntimeException e) {
      log.warn("Exporter {} could not write {} {} to {}: {}; the sender will retry", id, items,
          signal.itemName(), config.directory, e.toString());
      return CompletableFuture.failedFuture(ConsumeException.retryable(
          "vigilstore could not write to " + config.directory + ": " + e.getMessage()));
    }
  }

  @Override
  public void start() throws Exception {
    store = new TelemetryStore(Path.of(config.directory), config.retention, config.maxDiskBytes,
        clock);
    housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-vigilstore-" + id);
      t.setDaemon(true);
      return t;
    });
    housekeeping.scheduleWithFixedDelay(this::commit, COMMIT_SECONDS, COMMIT_SECONDS,
        TimeUnit.SECONDS);
    housekeeping.scheduleWithFixedDelay(this::enforceRetention, 0, RETENTION_CHECK_SECONDS,
        TimeUnit.SECONDS);
    if (config.console.endpoint != null && !config.console.endpoint.isBlank()) {
      InetSocketAddress address =
          HostPort.parse(config.console.endpoint, "exporters::" + id + "::console::endpoint");
      IncidentSource incidents = config.console.incidentsApi.isBlank()
          ? IncidentSource.NOT_CONFIGURED
          : new IncidentsApiClient(VigilStoreExporterConfig.incidentsApiUri(
              config.console.incidentsApi), config.console.incidentsApiToken);
      console = new ConsoleServer(address, consoleSource(), incidents, config.console.token,
          config.console.tls == null ? null
              : config.console.tls.load("exporters::" + id + "::console::tls"), clock);
      console.start();
      log.info("Exporter {} stores telemetry in {} and serves the console on {}://{}:{}/"
          + " (incidents: {})", id, config.directory, console.scheme(),
          console.address().getHostString(),
          console.address().getPort(), config.console.incidentsApi.isBlank() ? "not configured"
              : config.console.incidentsApi);
    } else {
      log.info("Exporter {} stores telemetry in {}; console off", id, config.directory);
    }
  }

  /** What the console reads: the store, or the configured cluster backends. */
  private TelemetryQuery consoleSource() {
    VigilStoreExporterConfig.Source s = config.console.source;
    String auth = s.username.isEmpty() ? "" : "Basic " + java.util.Base64.getEncoder()
        .encodeToString((s.username + ":" + s.password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    TelemetryQuery base = "elasticsearch".equals(s.type)
        ? new SearchEngineTelemetryQuery(VigilStoreExporterConfig.httpUri(s.endpoint,
            "console::source::endpoint"), s.logsIndex, s.tracesIndex, auth, s.timeout)
        : store.query();
    if (s.prometheus.isBlank()) {
      return base;
    }
    return new MetricsFromPrometheus(base, new PrometheusMetrics(
        VigilStoreExporterConfig.httpUri(s.prometheus, "console::source::prometheus"), "", s.timeout));
  }

  private void commit() {
    try {
      store.commit();
    } catch (IOException | RuntimeException e) {
      log.warn("Exporter {} could not commit the store in {}: {}", id, config.directory,
          e.toString());
    }
  }

  private void enforceRetention() {
    try {
      List<String> deleted = store.enforceRetention();
      if (!deleted.isEmpty()) {
        log.info("Exporter {} deleted hours {} (retention {}, max_disk_bytes {})", id, deleted,
            GoDuration.format(config.retention), config.maxDiskBytes);
      }
    } catch (IOException | RuntimeException e) {
      log.warn("Exporter {} could not apply retention in {}: {}", id, config.directory,
          e.toString());
    }
  }

  /** The store, for tests that look inside. */
  TelemetryStore store() {
    return store;
  }

  /** {@code https} with {@code console::tls}, else {@code http}. */
  String consoleScheme() {
    return console.scheme();
  }

  /** Where the console listens; tests that asked for port 0 read the real port here. */
  InetSocketAddress consoleAddress() {
    return console.address();
  }

  @Override
  public void shutdown(Instant deadline) {
    if (console != null) {
      console.stop();
    }
    if (housekeeping != null) {
      housekeeping.shutdownNow();
    }
    if (store != null) {
      try {
        store.close();
      } catch (IOException e) {
        log.warn("Exporter {} could not close the store in {} cleanly: {}; it reopens from the"
            + " last commit", id, config.directory, e.toString());
      }
    }
  }
}
