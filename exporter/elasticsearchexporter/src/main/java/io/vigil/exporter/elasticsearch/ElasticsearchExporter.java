package io.vigil.exporter.elasticsearch;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.exporter.exporterhelper.PerSignalSenders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * Logs and spans into Elasticsearch or OpenSearch with {@code _bulk}, one sending queue per
 * signal. At start it installs the retention policy and index templates (in the background,
 * until it succeeds); writes wait for that.
 */
final class ElasticsearchExporter implements Exporter {

  private final ComponentSettings settings;
  private final ElasticsearchExporterConfig config;
  private final PerSignalSenders senders;
  private final Map<Signal<?>, BulkSender<?>> bulkSenders = new LinkedHashMap<>();
  private final SearchEngineHttp http;
  private final EngineSetup setup;
  private final RejectedDocuments rejected;
  private ScheduledExecutorService setupScheduler;

  ElasticsearchExporter(ComponentSettings settings, ElasticsearchExporterConfig config,
      Set<Signal<?>> signals) {
    this.settings = settings;
    this.config = config;
    this.senders = new PerSignalSenders(settings, config);
    this.http = new SearchEngineHttp(config);
    this.rejected = new RejectedDocuments(settings.telemetry().registry(),
        settings.id().toString());
    RecordMapping mapping = RecordMapping.forMode(config.mapping.mode);
    IndexNames logs = IndexNames.logs(config);
    IndexNames traces = IndexNames.traces(config);
    BulkDocuments documents = new BulkDocuments(mapping, logs, traces);
    List<IndexNames> used = new ArrayList<>();
    if (signals.contains(Signal.LOGS)) {
      used.add(logs);
    }
    if (signals.contains(Signal.TRACES)) {
      used.add(traces);
    }
    this.setup = new EngineSetup(http, config, mapping, used,
        settings.logger(ElasticsearchExporter.class));
    if (signals.contains(Signal.LOGS)) {
      add(Signal.LOGS, documents::logs);
    }
    if (signals.contains(Signal.TRACES)) {
      add(Signal.TRACES, documents::spans);
    }
  }

  private <T extends Message> void add(Signal<T> signal,
      Function<T, List<BulkDocument>> encoder) {
    BulkSender<T> bulk = new BulkSender<>(http, encoder, setup,
        (reason, n) -> rejected.add(signal, reason, n));
    bulkSenders.put(signal, bulk);
    senders.add(signal, bulk);
  }

  /** Which engine answered, once the setup talked to it; null before. For tests and logs. */
  Distribution distribution() {
    return setup.distribution();
  }

  boolean isSetUp() {
    return setup.isDone();
  }

  @Override
  public <T extends Message> Consumer<T> consumer(Signal<T> signal) {
    return senders.consumer(signal);
  }

  @Override
  public void start() {
    setupScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-exporter-" + settings.id() + "-setup");
      t.setDaemon(true);
      return t;
    });
    setup.start(setupScheduler);
    senders.start();
    if (config.tls.insecureSkipVerify) {
      settings.logger(ElasticsearchExporter.class).warn("{}: tls::insecure_skip_verify is on:"
          + " any server certificate is accepted, so anyone on the path can read and change what"
          + " is written; set tls::ca_file instead outside tests", settings.id());
    }
  }

  @Override
  public void shutdown(Instant deadline) {
    senders.shutdown(deadline);
    if (setupScheduler != null) {
      setupScheduler.shutdownNow();
    }
    http.close();
  }
}
