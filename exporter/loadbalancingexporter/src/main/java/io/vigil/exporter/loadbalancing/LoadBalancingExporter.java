package io.vigil.exporter.loadbalancing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.Host;
import io.vigil.exporter.exporterhelper.QueuedRetryingSender;
import io.vigil.exporter.exporterhelper.Withdrawable;
import io.vigil.exporter.otlp.OtlpExporterFactory;
import io.vigil.pdata.TraceGrouping;
import io.vigil.extension.filestorage.FileStorageExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Sends every span of a trace to the same backend: each batch is split by trace ID (or by
 * {@code service.name}), each part routed on the {@link HashRing} to its backend's otlp exporter
 * (its own sending queue and retries), and the batch is answered when every part was. The
 * resolver tells the set of backends; when it changes, an otlp exporter is started for each new
 * backend, the ring rebuilt, and each removed backend's exporter retired: what it holds is routed
 * on the new ring, from memory or from its durable queue's log ({@link BackendQueuesOnDisk}).
 */
final class LoadBalancingExporter implements Exporter {

  /** The ring and the exporters on it, swapped whole so a batch routes on one consistent view. */
  private record Membership(HashRing ring, Map<String, Exporter> backends) {
    static final Membership NONE = new Membership(null, Map.of());
  }

  private final ComponentSettings settings;
  private final LoadBalancingExporterConfig config;
  private final BackendResolver resolver;
  private final LoadBalancerMetrics metrics;
  private final Logger log;
  /** What picks a backend: {@code routing_key}. */
  private enum Routing { TRACE_ID, SERVICE, RESOURCE }

  private final Routing routing;
  private final Set<Signal<?>> signals;
  /** Retires removed backends off the resolver's thread: a shutdown waits on its queue. */
  private final ExecutorService retiring = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "vigil-loadbalancing-retire");
    t.setDaemon(true);
    return t;
  });
  private volatile Membership membership = Membership.NONE;
  private Host host = Host.NONE;
  private boolean stopped;
  private volatile boolean stoppedFlag;
  /** With durable backend queues, the logs on the file_storage; else null. Set at start. */
  private BackendQueuesOnDisk onDisk;
  /**
   * Backends (by {@link BackendQueuesOnDisk#key}) whose log is being handed on: kept off the
   * ring meanwhile, since their exporter would read the same log. Guarded by this.
   */
  private final Set<String> handingOn = new HashSet<>();
  /**
   * Of those, the ones the resolver named again: their hand-over stops at the next chunk, and
   * they rejoin with the rest of their log, which their own exporter then sends (else a ring
   * whose every member was re-added at once would wait, empty, for hand-overs that need a
   * ring). Guarded by this.
   */
  private final Set<String> namedAgain = new HashSet<>();
  /** The resolver's last set, applied again when a hand-over ends. Guarded by this. */
  private Set<String> lastResolved = Set.of();
  private boolean leftBehindChecked;

  LoadBalancingExporter(ComponentSettings settings, LoadBalancingExporterConfig config,
      Set<Signal<?>> signals) {
    this(settings, config, signals, null);
  }

  /** With the given resolver instead of the configured one (tests: a DNS server on loopback). */
  LoadBalancingExporter(ComponentSettings settings, LoadBalancingExporterConfig config,
      Set<Signal<?>> signals, BackendResolver resolver) {
    this.settings = settings;
    this.signals = Set.copyOf(signals);
    this.config = config;
    this.log = settings.logger(LoadBalancingExporter.class);
    this.metrics = new LoadBalancerMetrics(settings.telemetry().registry(),
        settings.id().toString(), () -> membership.backends().size());
    this.resolver = resolver != null ? resolver : configured(config);
    this.routing = switch (config.routingKey) {
      case "service" -> Routing.SERVICE;
      case "resource" -> Routing.RESOURCE;
      default -> Routing.TRACE_ID;
    };
  }

  private BackendResolver configured(LoadBalancingExporterConfig c) {
    if (c.resolver.dns != null) {
      return new DnsBackends(c.resolver.dns, metrics, log);
    }
    if (c.resolver.k8s != null) {
      return new K8sBackends(c.resolver.k8s, metrics, log);
    }
    return new StaticBackends(c.resolver.staticResolver.hostnames);
  }

  @Override
  public <T extends Message> Consumer<T> consumer(Signal<T> signal) {
    return signals.contains(signal) ? batch -> route(signal, batch) : null;
  }

  private <T extends Message> CompletableFuture<Void> route(Signal<T> signal, T batch) {
    Membership m = membership;
    if (m.ring() == null) {
      return CompletableFuture.failedFuture(ConsumeException.retryable(
          "loadbalancing " + settings.id() + ": no backend resolved yet"));
    }
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    split(signal, batch, m.ring()).forEach((endpoint, part) -> {
      Exporter backend = m.backends().get(endpoint);
      CompletableFuture<Void> f;
      try {
        f = backend.consumer(signal).consume(part);
      } catch (RuntimeException ex) {
        f = CompletableFuture.failedFuture(ex);
      }
      // Routed on a ring that changed meanwhile, to a backend being retired (which refuses):
      // routed again on the new ring rather than failed back to the client.
      sent.add(f.exceptionallyCompose(ex -> retired(backend) ? route(signal, part)
          : CompletableFuture.failedFuture(ex)));
    });
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  /** The batch's part for each backend. */
  @SuppressWarnings("unchecked")
  private <T extends Message> Map<String, T> split(Signal<T> signal, T batch, HashRing ring) {
    Map<String, Message.Builder> perBackend = new LinkedHashMap<>();
    if (batch instanceof ExportTraceServiceRequest traces) {
      if (routing == Routing.TRACE_ID) {
        TraceGrouping.byTraceId(traces).forEach((traceId, t) ->
            ((ExportTraceServiceRequest.Builder) perBackend.computeIfAbsent(
                ring.backendFor(traceId.toByteArray()),
                k -> ExportTraceServiceRequest.newBuilder()))
                .addAllResourceSpans(t.getResourceSpansList()));
      } else {
        for (ResourceSpans rs : traces.getResourceSpansList()) {
          ((ExportTraceServiceRequest.Builder) perBackend.computeIfAbsent(
              ring.backendFor(key(rs.getResource())),
              k -> ExportTraceServiceRequest.newBuilder())).addResourceSpans(rs);
        }
      }
    } else if (batch instanceof ExportLogsServiceRequest logs) {
      for (ResourceLogs rl : logs.getResourceLogsList()) {
        ((ExportLogsServiceRequest.Builder) perBackend.computeIfAbsent(
            ring.backendFor(key(rl.getResource())),
            k -> ExportLogsServiceRequest.newBuilder())).addResourceLogs(rl);
      }
    } else if (batch instanceof ExportMetricsServiceRequest metricsBatch) {
      for (ResourceMetrics rm : metricsBatch.getResourceMetricsList()) {
        ((ExportMetricsServiceRequest.Builder) perBackend.computeIfAbsent(
            ring.backendFor(key(rm.getResource())),
            k -> ExportMetricsServiceRequest.newBuilder())).addResourceMetrics(rm);
      }
    }
    Map<String, T> parts = new LinkedHashMap<>();
    perBackend.forEach((endpoint, b) -> parts.put(endpoint, (T) b.build()));
    return parts;
  }

  /**
   * What routes a resource's data: its {@code service.name} ({@code routing_key: service}), or
   * all its attributes in key order ({@code resource}; and {@code traceID} for logs and metrics,
   * which are not split by trace).
   */
  private byte[] key(Resource r) {
    if (routing == Routing.SERVICE) {
      return service(r);
    }
    List<KeyValue> attrs = new ArrayList<>(r.getAttributesList());
    attrs.sort(java.util.Comparator.comparing(KeyValue::getKey));
    ByteString.Output out = ByteString.newOutput();
    for (KeyValue kv : attrs) {
      try {
        kv.writeDelimitedTo(out);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return out.toByteString().toByteArray();
  }

  private boolean retired(Exporter backend) {
    return !stoppedFlag && !membership.backends().containsValue(backend);
  }

  private static byte[] service(Resource r) {
    for (KeyValue kv : r.getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        return kv.getValue().getStringValue().getBytes(StandardCharsets.UTF_8);
      }
    }
    return new byte[0];
  }

  /** The backend a trace ID is routed to now (for tests); null without backends. */
  String backendFor(ByteString traceId) {
    HashRing ring = membership.ring();
    return ring == null ? null : ring.backendFor(traceId.toByteArray());
  }

  /** Where this exporter's metrics are (for tests). */
  io.prometheus.metrics.model.registry.PrometheusRegistry registry() {
    return settings.telemetry().registry();
  }

  /** The backends on the ring now. */
  Set<String> backends() {
    return membership.backends().keySet();
  }

  /**
   * The resolver's new set: exporters for new backends started before the ring that names them
   * is published, removed ones retired after it no longer does.
   */
  private synchronized void update(Set<String> endpoints) {
    if (stopped) {
      return;
    }
    lastResolved = Set.copyOf(endpoints);
    if (onDisk != null) {
      // Named again, then removed again before its hand-over stopped: hand on all of it.
      Set<String> keys = new HashSet<>();
      endpoints.forEach(e -> keys.add(onDisk.key(e)));
      namedAgain.retainAll(keys);
    }
    Map<String, Exporter> current = membership.backends();
    Map<String, Exporter> next = new LinkedHashMap<>();
    for (String e : new TreeSet<>(endpoints)) {
      Exporter existing = current.get(e);
      if (existing != null) {
        next.put(e, existing);
        continue;
      }
      if (onDisk != null && handingOn.contains(onDisk.key(e))) {
        if (namedAgain.add(onDisk.key(e))) {
          log.info("loadbalancing {}: backend {} rejoins once the hand-over of its queue on"
              + " disk stopped", settings.id(), e);
        }
        continue;
      }
      try {
        next.put(e, startBackend(e));
      } catch (Exception ex) {
        log.warn("loadbalancing {}: could not start the exporter for backend {}, leaving it off"
            + " the ring: {}", settings.id(), e, ex.toString());
      }
    }
    Map<String, Exporter> removed = new LinkedHashMap<>();
    current.forEach((e, exporter) -> {
      if (!next.containsKey(e)) {
        removed.put(e, exporter);
      }
    });
    membership = new Membership(next.isEmpty() ? null : new HashRing(List.copyOf(next.keySet())),
        Map.copyOf(next));
    metrics.backendUpdate();
    log.info("loadbalancing {}: backends now {}", settings.id(), next.keySet());
    removed.forEach((e, gone) -> {
      String key = onDisk == null ? null : onDisk.key(e);
      if (key != null) {
        handingOn.add(key);
      }
      retiring.execute(() -> retire(gone, key));
    });
    if (onDisk != null && !next.isEmpty() && !leftBehindChecked) {
      leftBehindChecked = true;
      handOnLeftBehind(next.keySet());
    }
  }

  /**
   * At the first ring: the logs an earlier run left for backends that are not on it (removed
   * while this gateway was down, or never re-added) are handed to the ring too.
   */
  private void handOnLeftBehind(Set<String> members) {
    Set<String> keys;
    try {
      keys = onDisk.leftBehind(members);
    } catch (IOException | RuntimeException e) {
      log.warn("loadbalancing {}: cannot look for queues removed backends left on disk: {}",
          settings.id(), e.toString());
      return;
    }
    for (String key : keys) {
      if (handingOn.add(key)) {
        retiring.execute(() -> handOnFromDisk(key));
      }
    }
  }

  private synchronized boolean goOn(String key) {
    return !stopped && !namedAgain.contains(key);
  }

  /** Hands on a removed backend's log, then lets it rejoin if the resolver names it again. */
  private void handOnFromDisk(String key) {
    try {
      if (!stoppedFlag) {
        long items = onDisk.handOn(key, this::route, () -> goOn(key),
            (signal, n) -> metrics.rerouted(signal.itemName(), n));
        if (items > 0) {
          log.info("loadbalancing {}: handed on {} items backend {} had queued on disk",
              settings.id(), items, key);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      synchronized (this) {
        handingOn.remove(key);
        namedAgain.remove(key);
        boolean rejoins = lastResolved.stream().anyMatch(e -> onDisk.key(e).equals(key));
        if (rejoins) {
          update(lastResolved);
        }
      }
    }
  }

  /**
   * A removed backend's unsent batches (queued, or retrying against a backend that is likely
   * gone) are taken back and routed on the new ring, so they reach the remaining backends
   * instead of being dropped at a shutdown deadline. Callers waiting on them (wait_for_result)
   * hear the outcome of the re-routed send.
   */
  private void retire(Exporter gone, String keyOnDisk) {
    for (Signal<?> signal : signals) {
      reroute(gone, signal);
    }
    if (keyOnDisk == null) {
      // After the hand-over: closing the channel may wait, the re-routed data should not.
      gone.shutdown(Instant.now().plus(config.protocol.otlp.timeout));
      return;
    }
    // A durable queue gives nothing back in memory: it stops (an attempt answered within the
    // grace is committed, not re-sent), then its log is read back and routed on the ring.
    gone.shutdown(Instant.now().plus(DURABLE_STOP_GRACE));
    handOnFromDisk(keyOnDisk);
  }

  /** How long a removed backend's durable queue may finish attempts already sent. */
  private static final Duration DURABLE_STOP_GRACE = Duration.ofSeconds(1);

  private <T extends Message> void reroute(Exporter gone, Signal<T> signal) {
    List<QueuedRetryingSender.Withdrawn<T>> unsent =
        gone instanceof Withdrawable w ? w.withdraw(signal) : List.of();
    long items = 0;
    for (QueuedRetryingSender.Withdrawn<T> w : unsent) {
      int n = signal.itemCount(w.batch());
      items += n;
      route(signal, w.batch()).whenComplete((ok, failed) -> {
        if (failed != null) {
          log.warn("loadbalancing {}: re-routing {} {} of a removed backend failed: {}",
              settings.id(), n, signal.itemName(), failed.toString());
        }
        for (CompletableFuture<Void> caller : w.callers()) {
          if (failed == null) {
            caller.complete(null);
          } else {
            caller.completeExceptionally(failed);
          }
        }
      });
    }
    if (items > 0) {
      metrics.rerouted(signal.itemName(), items);
      log.info("loadbalancing {}: re-routed {} {} a removed backend held", settings.id(), items,
          signal.itemName());
    }
  }

  private Exporter startBackend(String endpoint) throws Exception {
    // Each backend's queue and counters under its own ID: loadbalancing/NAME_host:port.
    ComponentSettings own = new ComponentSettings(settings.kind(),
        BackendQueuesOnDisk.backendId(settings.id(), endpoint), settings.telemetry(),
        settings.host());
    Exporter e = new OtlpExporterFactory().create(own, config.backend(endpoint), signals);
    e.start(host);
    return e;
  }

  @Override
  public void start(Host host) throws Exception {
    String storage = config.protocol.otlp.sendingQueue.enabled
        ? config.protocol.otlp.sendingQueue.storage : null;
    synchronized (this) {
      this.host = host;
      if (storage != null) {
        onDisk = new BackendQueuesOnDisk(settings.id(), settings.host().requireExtension(
            ComponentId.parse(storage), FileStorageExtension.class,
            "protocol::otlp::sending_queue::storage"), signals, config.protocol.otlp.timeout,
            log);
      }
    }
    resolver.start(this::update);
  }

  @Override
  public void shutdown(Instant deadline) {
    resolver.shutdown();
    Membership last;
    synchronized (this) {
      stopped = true;
      stoppedFlag = true;
      last = membership;
    }
    // Re-routes under way first: they send to backends still on the ring.
    retiring.shutdown();
    try {
      retiring.awaitTermination(
          Math.max(0, Duration.between(Instant.now(), deadline).toMillis()),
          TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    last.backends().values().forEach(e -> e.shutdown(deadline));
  }
}
