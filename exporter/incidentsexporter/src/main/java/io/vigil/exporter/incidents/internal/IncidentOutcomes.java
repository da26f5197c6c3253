package io.vigil.exporter.incidents.internal;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * {@code vigil_incidents_anomaly_records_total{exporter,outcome}}: what became of each anomaly
 * record (opened, joined, reopened, duplicate, held; a held one counts again as released or
 * expired), so an operator sees grouping and the opening policy at work: many opened and few
 * joined means {@code group_window} is too short or the traces do not connect; many expired
 * are the signals not opened.
 */
final class IncidentOutcomes {

  /** One counter per registry: every incidents exporter of a gateway shares it. */
  private static final Map<PrometheusRegistry, Counter> COUNTERS = new WeakHashMap<>();

  private final Counter counter;
  private final String exporterId;

  IncidentOutcomes(PrometheusRegistry registry, String exporterId) {
    synchronized (COUNTERS) {
      this.counter = COUNTERS.computeIfAbsent(registry, r -> Counter.builder()
          .name("vigil_incidents_anomaly_records")
          .help("Anomaly records filed under incidents, by what became of them.")
          .labelNames("exporter", "outcome")
          .register(r));
    }
    this.exporterId = exporterId;
  }

  void add(IncidentTracker.Outcome outcome) {
    counter.labelValues(exporterId, outcome.name().toLowerCase(Locale.ROOT)).inc();
  }
}
