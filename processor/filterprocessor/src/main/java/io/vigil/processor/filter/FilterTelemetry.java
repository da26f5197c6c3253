package io.vigil.processor.filter;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.core.Signal;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The Collector's filter processor metrics ({@code otelcol_processor_filter_spans.filtered},
 * {@code ..._datapoints.filtered}, {@code ..._logs.filtered}, Prometheus-style names), labelled
 * with the processor ID. One set per registry, shared by every filter processor in the gateway.
 */
final class FilterTelemetry {
  private static final Map<PrometheusRegistry, FilterTelemetry> BY_REGISTRY = new WeakHashMap<>();

  private final Counter spans;
  private final Counter datapoints;
  private final Counter logs;

  private FilterTelemetry(PrometheusRegistry registry) {
    spans = counter(registry, "otelcol_processor_filter_spans_filtered", "Number of spans dropped by the filter processor.");
    datapoints = counter(registry, "otelcol_processor_filter_datapoints_filtered",
        "Number of data points dropped by the filter processor.");
    logs = counter(registry, "otelcol_processor_filter_logs_filtered",
        "Number of log records dropped by the filter processor.");
  }

  static synchronized FilterTelemetry of(PrometheusRegistry registry) {
    return BY_REGISTRY.computeIfAbsent(registry, FilterTelemetry::new);
  }

  private static Counter counter(PrometheusRegistry registry, String name, String help) {
    return Counter.builder().name(name).help(help).labelNames("filter").register(registry);
  }

  io.prometheus.metrics.core.datapoints.CounterDataPoint counter(Signal<?> signal, String id) {
    Counter c = signal == Signal.TRACES ? spans : signal == Signal.METRICS ? datapoints : logs;
    return c.labelValues(id);
  }
}
