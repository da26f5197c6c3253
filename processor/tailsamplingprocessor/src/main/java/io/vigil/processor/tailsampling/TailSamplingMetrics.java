package io.vigil.processor.tailsampling;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The processor's own metrics, named as the Collector's tailsamplingprocessor's (with a
 * {@code processor} label, as Vigil's processor metrics have). Registered once per registry:
 * every tail_sampling processor of a gateway shares them.
 */
final class TailSamplingMetrics {

  /** The metrics of one registry. */
  private record Shared(Counter policyDecisions, Counter finalDecisions, Counter droppedTooEarly,
      Counter spansDroppedTooEarly, Counter lateSpans, Map<String, LongSupplier> onMemory) {}

  private static final Map<PrometheusRegistry, Shared> SHARED = new WeakHashMap<>();

  private final Shared shared;
  private final String processor;

  TailSamplingMetrics(PrometheusRegistry registry, String processor, LongSupplier tracesOnMemory) {
    synchronized (SHARED) {
      this.shared = SHARED.computeIfAbsent(registry, TailSamplingMetrics::register);
    }
    this.processor = processor;
    shared.onMemory().put(processor, tracesOnMemory);
  }

  private static Shared register(PrometheusRegistry r) {
    Map<String, LongSupplier> onMemory = new ConcurrentHashMap<>();
    GaugeWithCallback.builder()
        .name("otelcol_processor_tail_sampling_sampling_traces_on_memory")
        .help("Traces buffered undecided.")
        .labelNames("processor")
        .callback(cb -> onMemory.forEach((p, v) -> cb.call(v.getAsLong(), p)))
        .register(r);
    return new Shared(
        Counter.builder().name("otelcol_processor_tail_sampling_count_traces_sampled")
            .help("Traces each policy sampled or not (sampled=true|false).")
            .labelNames("processor", "policy", "sampled").register(r),
        Counter.builder().name("otelcol_processor_tail_sampling_global_count_traces_sampled")
            .help("Traces kept or dropped by the final decision (sampled=true|false).")
            .labelNames("processor", "sampled").register(r),
        Counter.builder()
            .name("otelcol_processor_tail_sampling_sampling_trace_dropped_too_early")
            .help("Traces dropped undecided because more than num_traces were buffered.")
            .labelNames("processor").register(r),
        Counter.builder().name("vigil_processor_tail_sampling_spans_dropped_too_early")
            .help("Spans of the traces dropped undecided (num_traces exceeded).")
            .labelNames("processor").register(r),
        Counter.builder()
            .name("otelcol_processor_tail_sampling_early_releases_from_cache_decision")
            .help("Spans that arrived after their trace was decided and followed the cached"
                + " decision (sampled=true|false).")
            .labelNames("processor", "sampled").register(r),
        onMemory);
  }

  void policyDecision(String policy, boolean sampled) {
    shared.policyDecisions().labelValues(processor, policy, Boolean.toString(sampled)).inc();
  }

  void finalDecision(boolean sampled) {
    shared.finalDecisions().labelValues(processor, Boolean.toString(sampled)).inc();
  }

  void droppedTooEarly(int spans) {
    shared.droppedTooEarly().labelValues(processor).inc();
    shared.spansDroppedTooEarly().labelValues(processor).inc(spans);
  }

  void lateSpans(boolean sampled, int spans) {
    shared.lateSpans().labelValues(processor, Boolean.toString(sampled)).inc(spans);
  }

  void close() {
    shared.onMemory().remove(processor);
  }
}
