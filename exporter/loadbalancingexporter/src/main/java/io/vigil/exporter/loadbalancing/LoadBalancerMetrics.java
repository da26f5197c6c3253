package io.vigil.exporter.loadbalancing;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The exporter's own metrics, named as the Collector's loadbalancingexporter's (with an
 * {@code exporter} label), plus what a membership change re-routed. Registered once per
 * registry: every loadbalancing exporter of a gateway shares them.
 */
final class LoadBalancerMetrics {

  private record Shared(Counter resolutions, Counter backendUpdates, Counter reroutedItems,
      Map<String, LongSupplier> backends) {}

  private static final Map<PrometheusRegistry, Shared> SHARED = new WeakHashMap<>();

  private final Shared shared;
  private final String exporter;

  LoadBalancerMetrics(PrometheusRegistry registry, String exporter, LongSupplier backends) {
    synchronized (SHARED) {
      this.shared = SHARED.computeIfAbsent(registry, LoadBalancerMetrics::register);
    }
    this.exporter = exporter;
    shared.backends().put(exporter, backends);
  }

  private static Shared register(PrometheusRegistry r) {
    Map<String, LongSupplier> backends = new ConcurrentHashMap<>();
    GaugeWithCallback.builder().name("otelcol_loadbalancer_num_backends")
        .help("Backends currently on the ring.").labelNames("exporter")
        .callback(cb -> backends.forEach((e, v) -> cb.call(v.getAsLong(), e)))
        .register(r);
    return new Shared(
        Counter.builder().name("otelcol_loadbalancer_num_resolutions")
            .help("Resolutions the resolver made (success=true|false).")
            .labelNames("exporter", "resolver", "success").register(r),
        Counter.builder().name("otelcol_loadbalancer_num_backend_updates")
            .help("Times the set of backends changed and the ring was rebuilt.")
            .labelNames("exporter").register(r),
        Counter.builder().name("vigil_loadbalancer_rerouted_items")
            .help("Items a removed backend still held (queued or retrying), sent again on the"
                + " new ring to the remaining backends (signal=spans|logs|metric_points).")
            .labelNames("exporter", "signal").register(r),
        backends);
  }

  void resolution(String resolver, boolean success) {
    shared.resolutions().labelValues(exporter, resolver, Boolean.toString(success)).inc();
  }

  void backendUpdate() {
    shared.backendUpdates().labelValues(exporter).inc();
  }

  void rerouted(String signal, long items) {
    shared.reroutedItems().labelValues(exporter, signal).inc(items);
  }
}
