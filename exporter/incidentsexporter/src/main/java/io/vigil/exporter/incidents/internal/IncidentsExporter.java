package io.vigil.exporter.incidents.internal;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.exporter.incidents.CauseClassifier;
import io.vigil.exporter.incidents.Evidence;
import io.vigil.exporter.incidents.IncidentsExporterConfig;
import io.vigil.exporter.incidents.Recommender;
import io.vigil.exporter.incidents.chat.ChatMessagesEndpoint;
import io.vigil.exporter.incidents.chat.ChatPoster;
import io.vigil.exporter.incidents.chat.IncidentNotifier;
import io.vigil.exporter.incidents.chat.ChatResponder;
import io.vigil.exporter.incidents.chat.IntentModel;
import io.vigil.exporter.incidents.chat.SlashCommandEndpoint;
import io.vigil.exporter.incidents.response.ResponseEngine;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/**
 * Files the anomaly records of a logs pipeline under incidents; ignores every other record. In a
 * traces pipeline it reads spans only to name origins: which service's failure the others passed
 * on (see {@link OriginWatch}).
 *
 * <p>A batch is stored before its future completes, on the caller's thread: anomaly records are
 * few (a handful a minute), an embedded write takes a millisecond, and completing only once they
 * are on disk is what lets a store failure travel back as a retryable refusal instead of an
 * anomaly silently lost.
 */
public final class IncidentsExporter implements Exporter {

  private final String name;
  private final IncidentsExporterConfig config;
  private final CauseClassifier classifier;
  private final Recommender recommender;
  private final Clock clock;
  private final Logger log;
  private final GatewayTelemetry.ExporterTelemetry telemetry;
  private final IncidentOutcomes outcomes;
  private IncidentStore store;
  private IncidentTracker tracker;
  private IncidentApiServer api;
  private ResponseEngine response;
  private final OriginWatch origins;
  private java.util.concurrent.ScheduledExecutorService expiry;
  private AnomalyJournal journal;

  public IncidentsExporter(ComponentSettings settings, IncidentsExporterConfig config,
      CauseClassifier classifier, Recommender recommender, Clock clock) {
    this.name = settings.id().toString();
    this.config = config;
    this.classifier = classifier;
    this.recommender = recommender;
    this.clock = clock;
    this.log = settings.logger(IncidentsExporter.class);
    this.telemetry = settings.telemetry().exporter(settings.id());
    this.outcomes = new IncidentOutcomes(settings.telemetry().registry(), name);
    this.origins = new OriginWatch(config.origin.maxSpans, config.origin.settle, clock);
  }

  @Override
  public void start() throws Exception {
    if (!config.anomaliesFile.isEmpty()) {
      try {
        journal = AnomalyJournal.append(java.nio.file.Path.of(config.anomaliesFile));
      } catch (java.io.IOException e) {
        throw new java.io.IOException("incidents " + name + ": cannot append to "
            + config.anomaliesFile + " (anomalies_file): " + e.getMessage(), e);
      }
    }
    store = StoreConfigs.open(config);
    try {
      classifier.bind(store, config.knowledgeBase.resolve());
      recommender.bind(store, config.knowledgeBase.resolve());
    } catch (RuntimeException e) {
      // A knowledge base that cannot be read stops the start; the store must not stay locked.
      store.close();
      throw e;
    }
    tracker = new IncidentTracker(store, config.groupWindow, config.reopenWindow, classifier,
        recommender, clock, OpeningPolicy.of(config.opening, config.groupWindow));
    // Held signals expire by the clock, also when no record comes to check them.
    expiry = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "incidents-expiry-" + name);
      t.setDaemon(true);
      return t;
    });
    expiry.scheduleWithFixedDelay(this::expireHeld, 5, 5, java.util.concurrent.TimeUnit.SECONDS);
    if (!config.response.rules.isEmpty()) {
      response = new ResponseEngine(config.response, tracker, clock, log);
      log.info("incidents {}: {} response rule(s){}", name, config.response.rules.size(),
          config.response.dryRun ? ", dry run: nothing is called" : "");
    }
    if (!config.chat.notifyUrl.isEmpty()) {
      Set<IncidentNotifier.Event> on = EnumSet.noneOf(IncidentNotifier.Event.class);
      config.chat.notifyOn.forEach(e -> on.add(IncidentNotifier.Event.of(e)));
      IncidentNotifier notifier = new IncidentNotifier(config.chat.notifyUrl,
          config.chat.notifyFormat, on, new ChatPoster(log));
      tracker.onChange(notifier::changed);
      if (response != null) {
        response.onApprovalNeeded(notifier::approvalNeeded);
      }
    }
    if (!config.api.endpoint.isEmpty()) {
      InetSocketAddress address =
          io.vigil.core.config.HostPort.parse(config.api.endpoint, "api::endpoint");
      api = new IncidentApiServer(address, config.api.token, config.api.tls == null ? null
          : config.api.tls.load("exporters::" + name + "::api::tls"), tracker, response,
          new IncidentJson(new LinkTemplates(config.links, config.maxTraceLinks)), clock, log);
      ChatResponder chat = new ChatResponder(new TrackerDesk(tracker, response),
          IntentModel::bundled, clock);
      api.mountBehindToken(ChatMessagesEndpoint.PATH, new ChatMessagesEndpoint(chat, log));
      if (config.chat.enabled()) {
        Thread warm = new Thread(chat::warmUp, "incidents-chat-warmup");
        warm.setDaemon(true);
        warm.start();
        api.mount(SlashCommandEndpoint.PATH, new SlashCommandEndpoint(config.chat, chat, clock,
            log));
      }
      try {
        api.start();
      } catch (java.io.IOException e) {
        api.stop();
        store.close();
        throw new java.io.IOException("incidents " + name + ": cannot listen on "
            + config.api.endpoint + " (api::endpoint): " + e.getMessage(), e);
      }
      log.info("incidents {}: API on {}://{}:{}/api/incidents, store in {}", name, api.scheme(),
          address.getHostString(), api.port(), StoreConfigs.describe(config));
    }
  }

  /** The tracker, once started: what the API serves and tests drive. */
  public IncidentTracker tracker() {
    return tracker;
  }

  /** The response engine, once started; null without rules. */
  public ResponseEngine response() {
    return response;
  }

  /** The API's port, once started; -1 without an API. */
  public int apiPort() {
    return api == null ? -1 : api.port();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends com.google.protobuf.Message> Consumer<T> consumer(Signal<T> signal) {
    if (signal == Signal.TRACES) {
      return batch -> {
        ExportTraceServiceRequest spans = (ExportTraceServiceRequest) batch;
        for (OriginWatch.Update u : origins.spans(spans)) {
          try {
            tracker.traceOrigin(u.incidentId(), u.key(), u.origin());
          } catch (StoreException e) {
            // The spans were read; only the origin stays as it was. Not worth a retry of the
            // whole batch, which would index its spans twice.
            log.warn("incidents {}: could not store the origin {} of incident {}: {}", name,
                u.origin(), u.incidentId(), e.getMessage());
          }
        }
        telemetry.sent(Signal.TRACES, Signal.TRACES.itemCount(spans));
        return CompletableFuture.completedFuture(null);
      };
    }
    if (signal != Signal.LOGS) {
      throw new IllegalArgumentException("the incidents exporter takes logs and traces only");
    }
    return batch -> {
      ExportLogsServiceRequest logs = (ExportLogsServiceRequest) batch;
      try {
        telemetry.sent(Signal.LOGS, consume(logs));
        return CompletableFuture.completedFuture(null);
      } catch (StoreException e) {
        // Records stored before the failure are dropped as duplicates when the batch returns.
        telemetry.enqueueFailed(Signal.LOGS, Signal.LOGS.itemCount(logs));
        log.error("incidents {}: could not store anomaly records; the batch is refused for a"
            + " retry. Check the store ({}): {}", name, StoreConfigs.describe(config),
            e.getMessage());
        return CompletableFuture.failedFuture(
            ConsumeException.retryable("incident store: " + e.getMessage()));
      }
    };
  }

  /** Files the batch's anomaly records; returns how many there were. */
  private long consume(ExportLogsServiceRequest batch) {
    long anomalies = 0;
    Instant now = clock.instant();
    for (ResourceLogs rl : batch.getResourceLogsList()) {
      String service = null;
      for (KeyValue kv : rl.getResource().getAttributesList()) {
        if (kv.getKey().equals("service.name")) {
          service = kv.getValue().getStringValue();
        }
      }
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord r : sl.getLogRecordsList()) {
          AnomalySignal signal = AnomalyEvidence.signal(r, service, now);
          if (signal != null) {
            if (journal != null) {
              try {
                journal.write(signal);
              } catch (java.io.UncheckedIOException ioe) {
                // A replay aid: a full disk must not stop incidents.
                log.warn("incidents {}: could not append to {} (anomalies_file): {}", name,
                    config.anomaliesFile, ioe.getMessage());
              }
            }
            Evidence e = origins.annotate(signal.evidence());
            IncidentTracker.Result result =
                tracker.record(new AnomalySignal(e, signal.severityNumber()));
            if (result.incidentId() != null) {
              origins.watch(result.incidentId(), e);
              for (Evidence released : result.released()) {
                origins.watch(result.incidentId(), released);
              }
            }
            anomalies++;
            outcomes.add(result.outcome());
            result.released().forEach(x -> outcomes.add(IncidentTracker.Outcome.RELEASED));
            countExpired(result.expired());
            if (response != null && result.incidentId() != null) {
              // After the record is stored, outside the tracker's lock; actions run on the
              // engine's threads, so a slow webhook never holds up the pipeline.
              response.consider(result.incidentId());
            }
            if (result.outcome() == IncidentTracker.Outcome.OPENED
                || result.outcome() == IncidentTracker.Outcome.REOPENED) {
              log.warn("INCIDENT {} {}: {} on {}", result.incidentId(),
                  result.outcome().name().toLowerCase(), e.kind(), e.service());
            }
          }
        }
      }
    }
    return anomalies;
  }

  private void expireHeld() {
    try {
      countExpired(tracker.expire());
    } catch (RuntimeException e) {
      log.warn("incidents {}: expiring held signals failed: {}", name, e.toString());
    }
  }

  private void countExpired(java.util.List<Evidence> expired) {
    for (Evidence x : expired) {
      outcomes.add(IncidentTracker.Outcome.EXPIRED);
      log.info("incidents {}: signal not opened: {} on {} ({})", name, x.kind(), x.service(),
          x.body().length() <= 200 ? x.body() : x.body().substring(0, 199) + "…");
    }
  }

  @Override
  public void shutdown(Instant deadline) {
    if (expiry != null) {
      expiry.shutdownNow();
    }
    if (tracker != null) {
      // Held signals live in memory only: counted and logged as not opened, not lost unsaid.
      java.util.List<Evidence> held = tracker.expireAll("the gateway stopped while it was held");
      if (!held.isEmpty()) {
        log.info("incidents {}: {} held signal(s) not opened at shutdown", name, held.size());
      }
      countExpired(held);
    }
    if (api != null) {
      api.stop();
    }
    if (journal != null) {
      try {
        journal.close();
      } catch (java.io.IOException e) {
        log.warn("incidents {}: closing {}: {}", name, config.anomaliesFile, e.getMessage());
      }
    }
    if (response != null) {
      response.shutdown(deadline);
    }
    if (store != null) {
      // Under the tracker's lock, so no batch is half written when the store closes.
      synchronized (tracker) {
        store.close();
      }
    }
  }
}
