package io.vigil.core.telemetry;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The gateway's own metrics, in one Prometheus registry served on the admin port. Names and labels
 * are the OpenTelemetry Collector's own (receiverhelper, processorhelper, exporterhelper), so
 * Collector dashboards and alerts work unchanged: one counter per signal, suffixed {@code spans},
 * {@code metric_points} or {@code log_records} (e.g. {@code otelcol_receiver_accepted_spans},
 * exposed as {@code otelcol_receiver_accepted_spans_total}), labelled {@code receiver} and
 * {@code transport}, {@code processor} and {@code otel_signal}, or {@code exporter}; the queue
 * gauges carry {@code exporter} and {@code data_type}. Vigil adds a few labels the Collector does
 * not have ({@code pipeline} on processor counters, {@code reason} on send failures), which
 * Collector queries ignore, and keeps {@code vigil_} names for metrics the Collector has no
 * counterpart of ({@code vigil_receiver_protocol_errors}).
 */
public final class GatewayTelemetry {

  private final PrometheusRegistry registry;
  private final PerSignal receiverAccepted;
  private final PerSignal receiverRefused;
  private final Counter receiverProtocolErrors;
  private final Counter receiverUnauthenticated;
  private final Counter processorIncoming;
  private final Counter processorOutgoing;
  private final PerSignal processorRefused;
  private final PerSignal exporterSent;
  private final PerSignal exporterSendFailed;
  private final PerSignal exporterEnqueueFailed;
  private final Counter exporterSendRetries;
  private final Map<List<String>, LongSupplier> queueSizes = new ConcurrentHashMap<>();
  private final Map<List<String>, LongSupplier> queueCapacities = new ConcurrentHashMap<>();
  private final Map<List<String>, LongSupplier> queueDamage = new ConcurrentHashMap<>();
  private final Map<List<String>, LongSupplier> queueLost = new ConcurrentHashMap<>();

  public GatewayTelemetry() {
    this(new PrometheusRegistry());
  }

  public GatewayTelemetry(PrometheusRegistry registry) {
    this.registry = registry;
    receiverAccepted =
        perSignal("otelcol_receiver_accepted_", "successfully pushed into the pipeline.",
            "receiver", "transport");
    receiverRefused =
        perSignal("otelcol_receiver_refused_", "that could not be pushed into the pipeline.",
            "receiver", "transport");
    receiverProtocolErrors =
        counter("vigil_receiver_protocol_errors",
            "Requests, frames or connections a receiver rejected as malformed, by reason.",
            "receiver", "transport", "reason");
    receiverUnauthenticated =
        counter("vigil_receiver_unauthenticated_requests",
            "Requests (or gRPC calls) a receiver refused because their credentials were missing"
                + " or wrong; nothing they carried entered a pipeline.",
            "receiver", "transport");
    processorIncoming =
        counter("otelcol_processor_incoming_items", "Number of items passed to the processor.",
            "processor", "otel_signal", "pipeline");
    processorOutgoing =
        counter("otelcol_processor_outgoing_items", "Number of items emitted from the processor.",
            "processor", "otel_signal", "pipeline");
    processorRefused =
        perSignal("otelcol_processor_refused_",
            "that were rejected by the next component in the pipeline (e.g. memory limiter).",
            "processor", "pipeline");
    exporterSent =
        perSignal("otelcol_exporter_sent_", "successfully sent to destination.", "exporter");
    exporterSendFailed =
        perSignal("otelcol_exporter_send_failed_",
            "in failed attempts to send to destination (dropped after a permanent error or "
                + "after retries ran out), by reason.",
            "exporter", "reason");
    exporterEnqueueFailed =
        perSignal("otelcol_exporter_enqueue_failed_", "failed to be added to the sending queue.",
            "exporter");
    exporterSendRetries =
        counter("vigil_exporter_send_retries",
            "Send attempts that failed retryably and are retried (one per attempt, not per item).",
            "exporter", "data_type");
    GaugeWithCallback.builder()
        .name("otelcol_exporter_queue_size")
        .help("Current size of the retry queue (in batches).")
        .labelNames("exporter", "data_type")
        .callback(cb -> queueSizes.forEach((k, v) -> cb.call(v.getAsLong(), k.toArray(String[]::new))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("otelcol_exporter_queue_capacity")
        .help("Fixed capacity of the retry queue (in batches).")
        .labelNames("exporter", "data_type")
        .callback(
            cb -> queueCapacities.forEach((k, v) -> cb.call(v.getAsLong(), k.toArray(String[]::new))))
        .register(registry);
    CounterWithCallback.builder()
        .name("vigil_exporter_queue_damaged_regions")
        .help("Damaged regions (torn or corrupt records, missing tails) a durable sending queue"
            + " found in its log files at start; the intact records around them are kept.")
        .labelNames("exporter", "data_type")
        .callback(cb -> queueDamage.forEach((k, v) -> cb.call(v.getAsLong(), k.toArray(String[]::new))))
        .register(registry);
    CounterWithCallback.builder()
        .name("vigil_exporter_queue_lost_records")
        .help("Queued requests a durable sending queue lost to damaged log files (known counts"
            + " only: a torn tail loses an unknown, never acknowledged, write).")
        .labelNames("exporter", "data_type")
        .callback(cb -> queueLost.forEach((k, v) -> cb.call(v.getAsLong(), k.toArray(String[]::new))))
        .register(registry);
  }

  private Counter counter(String name, String help, String... labels) {
    return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
  }

  private PerSignal perSignal(String prefix, String helpTail, String... labels) {
    return new PerSignal(
        counter(prefix + "spans", "Number of spans " + helpTail, labels),
        counter(prefix + "metric_points", "Number of metric points " + helpTail, labels),
        counter(prefix + "log_records", "Number of log records " + helpTail, labels));
  }

  /** The Collector's per-signal counter triple: {@code _spans}, {@code _metric_points}, {@code _log_records}. */
  private record PerSignal(Counter spans, Counter metricPoints, Counter logRecords) {
    Counter of(Signal<?> signal) {
      if (signal == Signal.TRACES) {
        return spans;
      } else if (signal == Signal.METRICS) {
        return metricPoints;
      } else if (signal == Signal.LOGS) {
        return logRecords;
      }
      throw new IllegalArgumentException("no Collector metric for signal " + signal.name());
    }
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public ReceiverTelemetry receiver(ComponentId id, String transport) {
    return new ReceiverTelemetry(id.toString(), transport);
  }

  public ProcessorTelemetry processor(ComponentId id, String pipeline) {
    return new ProcessorTelemetry(id.toString(), pipeline);
  }

  public ExporterTelemetry exporter(ComponentId id) {
    return new ExporterTelemetry(id.toString());
  }

  /** Counts for one receiver and transport (grpc, http, ...). */
  public final class ReceiverTelemetry {
    private final String id;
    private final String transport;

    private ReceiverTelemetry(String id, String transport) {
      this.id = id;
      this.transport = transport;
    }

    public void accepted(Signal<?> signal, long items) {
      receiverAccepted.of(signal).labelValues(id, transport).inc(items);
    }

    public void refused(Signal<?> signal, long items) {
      receiverRefused.of(signal).labelValues(id, transport).inc(items);
    }

    /** A malformed request or frame; {@code reason} is a short stable label. */
    public void protocolError(String reason) {
      receiverProtocolErrors.labelValues(id, transport, reason).inc();
    }

    /** A request refused by the receiver's authenticator. */
    public void unauthenticated() {
      receiverUnauthenticated.labelValues(id, transport).inc();
    }
  }

  /** Counts for one processor instance in one pipeline. */
  public final class ProcessorTelemetry {
    private final String id;
    private final String pipeline;

    private ProcessorTelemetry(String id, String pipeline) {
      this.id = id;
      this.pipeline = pipeline;
    }

    public void incoming(Signal<?> signal, long items) {
      processorIncoming.labelValues(id, signal.name(), pipeline).inc(items);
    }

    public void outgoing(Signal<?> signal, long items) {
      processorOutgoing.labelValues(id, signal.name(), pipeline).inc(items);
    }

    public void refused(Signal<?> signal, long items) {
      processorRefused.of(signal).labelValues(id, pipeline).inc(items);
    }
  }

  /** Counts for one exporter. */
  public final class ExporterTelemetry {
    private final String id;

    private ExporterTelemetry(String id) {
      this.id = id;
    }

    public void sent(Signal<?> signal, long items) {
      exporterSent.of(signal).labelValues(id).inc(items);
    }

    /** Items given up on; {@code reason} is a short stable label, e.g. {@code permanent}. */
    public void sendFailed(Signal<?> signal, long items, String reason) {
      exporterSendFailed.of(signal).labelValues(id, reason).inc(items);
    }

    /** One failed attempt that will be retried (a backend outage shows as a rising count). */
    public void retried(Signal<?> signal) {
      exporterSendRetries.labelValues(id, signal.name()).inc();
    }

    public void enqueueFailed(Signal<?> signal, long items) {
      exporterEnqueueFailed.of(signal).labelValues(id).inc(items);
    }

    /** Reports what a durable queue found damaged in its log at start, read at every scrape. */
    public void queueDamage(Signal<?> signal, LongSupplier damagedRegions, LongSupplier lost) {
      queueDamage.put(List.of(id, signal.name()), damagedRegions);
      queueLost.put(List.of(id, signal.name()), lost);
    }

    /** Reports a queue's size and capacity, read at every scrape. */
    public void queue(Signal<?> signal, LongSupplier size, LongSupplier capacity) {
      queueSizes.put(List.of(id, signal.name()), size);
      queueCapacities.put(List.of(id, signal.name()), capacity);
    }
  }
}
