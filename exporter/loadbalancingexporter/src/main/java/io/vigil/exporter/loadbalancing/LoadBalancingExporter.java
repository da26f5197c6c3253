package io.vigil.exporter.loadbalancing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * backend, the ring rebuilt, and each removed backend's exporter retired.
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
  private final boolean byService;
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

  LoadBalancingExporter(ComponentSettings settings, LoadBalancingExporterConfig config) {
    this(settings, config, null);
  }

  /** With the given resolver instead of the configured one (tests: a DNS server on loopback). */
  LoadBalancingExporter(ComponentSettings settings, LoadBalancingExporterConfig config,
      BackendResolver resolver) {
    this.settings = settings;
    this.config = config;
    this.log = settings.logger(LoadBalancingExporter.class);
    this.metrics = new LoadBalancerMetrics(settings.telemetry().registry(),
        settings.id().toString(), () -> membership.backends().size());
    this.resolver = resolver != null ? resolver : configured(config);
    this.byService = config.routingKey.equals("service");
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
  @SuppressWarnings("unchecked")
  public <T extends Message> Consumer<T> consumer(Signal<T> signal) {
    return signal == Signal.TRACES ? (Consumer<T>) (Consumer<ExportTraceServiceRequest>) this::route
        : null;
  }

  private CompletableFuture<Void> route(ExportTraceServiceRequest batch) {
    Membership m = membership;
    if (m.ring() == null) {
      return CompletableFuture.failedFuture(ConsumeException.retryable(
          "loadbalancing " + settings.id() + ": no backend resolved yet"));
    }
    Map<String, ExportTraceServiceRequest.Builder> perBackend = new LinkedHashMap<>();
    if (byService) {
      for (ResourceSpans rs : batch.getResourceSpansList()) {
        perBackend.computeIfAbsent(m.ring().backendFor(service(rs)),
            k -> ExportTraceServiceRequest.newBuilder()).addResourceSpans(rs);
      }
    } else {
      for (Map.Entry<ByteString, ExportTraceServiceRequest> e :
          TraceGrouping.byTraceId(batch).entrySet()) {
        perBackend.computeIfAbsent(m.ring().backendFor(e.getKey().toByteArray()),
            k -> ExportTraceServiceRequest.newBuilder())
            .addAllResourceSpans(e.getValue().getResourceSpansList());
      }
    }
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    perBackend.forEach((endpoint, builder) -> {
      Exporter backend = m.backends().get(endpoint);
      ExportTraceServiceRequest part = builder.build();
      CompletableFuture<Void> f;
      try {
        f = backend.consumer(Signal.TRACES).consume(part);
      } catch (RuntimeException ex) {
        f = CompletableFuture.failedFuture(ex);
      }
      // Routed on a ring that changed meanwhile, to a backend being retired (which refuses):
      // routed again on the new ring rather than failed back to the client.
      sent.add(f.exceptionallyCompose(ex -> retired(backend) ? route(part)
          : CompletableFuture.failedFuture(ex)));
    });
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  private boolean retired(Exporter backend) {
    return !stoppedFlag && !membership.backends().containsValue(backend);
  }

  private static byte[] service(ResourceSpans rs) {
    for (KeyValue kv : rs.getResource().getAttributesList()) {
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
    Map<String, Exporter> current = membership.backends();
    Map<String, Exporter> next = new LinkedHashMap<>();
    for (String e : new TreeSet<>(endpoints)) {
      Exporter existing = current.get(e);
      if (existing != null) {
        next.put(e, existing);
        continue;
      }
      try {
        next.put(e, startBackend(e));
      } catch (Exception ex) {
        log.warn("loadbalancing {}: could not start the exporter for backend {}, leaving it off"
            + " the ring: {}", settings.id(), e, ex.toString());
      }
    }
    List<Exporter> removed = new ArrayList<>();
    current.forEach((e, exporter) -> {
      if (!next.containsKey(e)) {
        removed.add(exporter);
      }
    });
    membership = new Membership(next.isEmpty() ? null : new HashRing(List.copyOf(next.keySet())),
        Map.copyOf(next));
    metrics.backendUpdate();
    log.info("loadbalancing {}: backends now {}", settings.id(), next.keySet());
    for (Exporter gone : removed) {
      retiring.execute(() -> retire(gone));
    }
  }

  /**
   * A removed backend's unsent batches (queued, or retrying against a backend that is likely
   * gone) are taken back and routed on the new ring, so they reach the remaining backends
   * instead of being dropped at a shutdown deadline. Callers waiting on them (wait_for_result)
   * hear the outcome of the re-routed send.
   */
  private void retire(Exporter gone) {
    List<QueuedRetryingSender.Withdrawn<ExportTraceServiceRequest>> unsent =
        gone instanceof Withdrawable w ? w.withdraw(Signal.TRACES) : List.of();
    long items = 0;
    for (QueuedRetryingSender.Withdrawn<ExportTraceServiceRequest> w : unsent) {
      items += Signal.TRACES.itemCount(w.batch());
      route(w.batch()).whenComplete((ok, failed) -> {
        if (failed != null) {
          log.warn("loadbalancing {}: re-routing {} spans of a removed backend failed: {}",
              settings.id(), Signal.TRACES.itemCount(w.batch()), failed.toString());
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
      metrics.rerouted(Signal.TRACES.itemName(), items);
      log.info("loadbalancing {}: re-routed {} spans a removed backend held", settings.id(),
          items);
    }
    // After the hand-over: closing the channel may wait, the re-routed data should not.
    gone.shutdown(Instant.now().plus(config.protocol.otlp.timeout));
  }

  private Exporter startBackend(String endpoint) throws Exception {
    // Each backend's queue and counters under its own ID: loadbalancing/NAME_host:port.
    String name = (settings.id().name().isEmpty() ? "" : settings.id().name() + "_") + endpoint;
    ComponentSettings own = new ComponentSettings(settings.kind(),
        ComponentId.of(settings.id().type(), name), settings.telemetry(), settings.host());
    Exporter e = new OtlpExporterFactory().create(own, config.backend(endpoint),
        Set.of(Signal.TRACES));
    e.start(host);
    return e;
  }

  @Override
  public void start(Host host) throws Exception {
    synchronized (this) {
      this.host = host;
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
