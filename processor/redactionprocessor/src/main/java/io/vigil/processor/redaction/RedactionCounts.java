package io.vigil.processor.redaction;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * {@code vigil_processor_redaction_values_total{processor, otel_signal, action}}: attributes
 * removed and values masked, registered once per gateway registry and shared by every redaction
 * processor in it.
 */
final class RedactionCounts {

  private static final Map<PrometheusRegistry, Counter> COUNTERS = new WeakHashMap<>();

  private final io.prometheus.metrics.core.datapoints.CounterDataPoint removed;
  private final io.prometheus.metrics.core.datapoints.CounterDataPoint masked;

  RedactionCounts(PrometheusRegistry registry, String processor, String signal) {
    Counter c;
    synchronized (COUNTERS) {
      c = COUNTERS.computeIfAbsent(registry, r -> Counter.builder()
          .name("vigil_processor_redaction_values")
          .help("Attributes the redaction processor removed (action=removed) and attribute"
              + " values or log bodies it masked (action=masked).")
          .labelNames("processor", "otel_signal", "action")
          .register(r));
    }
    removed = c.labelValues(processor, signal, "removed");
    masked = c.labelValues(processor, signal, "masked");
  }

  void add(Redactor.Tally t) {
    if (!t.removed.isEmpty()) {
      removed.inc(t.removed.size());
    }
    if (!t.masked.isEmpty()) {
      masked.inc(t.masked.size());
    }
  }
}
