package io.vigil.exporter.elasticsearch;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.core.Signal;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * {@code vigil_exporter_rejected_documents_total{exporter,signal,reason}}: documents the engine
 * refused for their content, by its error type (e.g. {@code mapper_parsing_exception}). The
 * generic {@code otelcol_exporter_send_failed_*{reason="rejected"}} counts them too; this
 * one says why.
 */
final class RejectedDocuments {

  /** One counter per registry: every elasticsearch exporter of a gateway shares it. */
  private static final Map<PrometheusRegistry, Counter> COUNTERS = new WeakHashMap<>();

  private final Counter counter;
  private final String exporterId;

  RejectedDocuments(PrometheusRegistry registry, String exporterId) {
    synchronized (COUNTERS) {
      this.counter = COUNTERS.computeIfAbsent(registry, r -> Counter.builder()
          .name("vigil_exporter_rejected_documents")
          .help("Documents the search engine refused for their content, by error type.")
          .labelNames("exporter", "signal", "reason")
          .register(r));
    }
    this.exporterId = exporterId;
  }

  void add(Signal<?> signal, String reason, long count) {
    counter.labelValues(exporterId, signal.name(), reason).inc(count);
  }
}
