package io.vigil.core.telemetry;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The gateway's own metrics, in one Prometheus registry served on the admin port. Names follow
 * the collector's ({@code otelcol_receiver_accepted_spans} becomes
 * {@code vigil_receiver_accepted_items_total{signal="traces"}}), so existing alerts translate.
 */
public final class GatewayTelemetry {

  private final PrometheusRegistry registry;
  private final Counter receiverAccepted;
  private final Counter receiverRefused;
  private final Counter receiverProtocolErrors;
  private final Counter processorIncoming;
  private final Counter processorOutgoing;
  private final Counter processorRefused;
  private final Counter exporterSent;
  private final Counter exporterSendFailed;
  private final Counter exporterEnqueueFailed;
  private final Map<List<String>, LongSupplier> queueSizes = new ConcurrentHashMap<>();
  private final Map<List<String>, LongSupplier> queueCapacities = new ConcurrentHashMap<>();

  public GatewayTelemetry() {
    this(new PrometheusRegistry());
  }

  public GatewayTelemetry(PrometheusRegistry registry) {
    this.registry = registry;
    receiverAccepted =
        counter("vigil_receiver_accepted_items",
            "Items a receiver accepted and handed to its pipelines.",
            "receiver", "transport", "signal");
    receiverRefused =
        counter("vigil_receiver_refused_items",
            "Items a receiver could not hand to its pipelines (client told to retry or not).",
            "receiver", "transport", "signal");
    receiverProtocolErrors =
        counter("vigil_receiver_protocol_errors",
            "Requests, frames or connections a receiver rejected as malformed, by reason.",
            "receiver", "transport", "reason");
    processorIncoming =
        counter("vigil_processor_incoming_items", "Items that entered a processor.",
            "processor", "pipeline", "signal");
    processorOutgoing =
        counter("vigil_processor_outgoing_items", "Items a processor passed on.",
            "processor", "pipeline", "signal");
    processorRefused =
        counter("vigil_processor_refused_items", "Items a processor refused (e.g. memory).",
            "processor", "pipeline", "signal");
    exporterSent =
        counter("vigil_exporter_sent_items", "Items the destination accepted.",
            "exporter", "signal");
    exporterSendFailed =
        counter("vigil_exporter_send_failed_items",
            "Items dropped after a permanent error or after retries ran out, by reason.",
            "exporter", "signal", "reason");
    exporterEnqueueFailed =
        counter("vigil_exporter_enqueue_failed_items",
            "Items refused because the sending queue was full.",
            "exporter", "signal");
    GaugeWithCallback.builder()
        .name("vigil_exporter_queue_size")
        .help("Batches waiting in an exporter's sending queue.")
        .labelNames("exporter", "signal")
        .callback(cb -> queueSizes.forEach((k, v) -> cb.call(v.getAsLong(), k.toArray(String[]::new))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("vigil_exporter_queue_capacity")
        .help("Capacity of an exporter's sending queue, in batches.")
        .labelNames("exporter", "signal")
        .callback(
            cb -> queueCapacities.forEach((k, v) -> cb.call(v.getAsLong(), k.toArray(String[]::new))))
        .register(registry);
  }

  private Counter counter(String name, String help, String... labels) {
    return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
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
      receiverAccepted.labelValues(id, transport, signal.name()).inc(items);
    }

    public void refused(Signal<?> signal, long items) {
      receiverRefused.labelValues(id, transport, signal.name()).inc(items);
    }

    /** A malformed request or frame; {@code reason} is a short stable label. */
    public void protocolError(String reason) {
      receiverProtocolErrors.labelValues(id, transport, reason).inc();
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
      processorIncoming.labelValues(id, pipeline, signal.name()).inc(items);
    }

    public void outgoing(Signal<?> signal, long items) {
      processorOutgoing.labelValues(id, pipeline, signal.name()).inc(items);
    }

    public void refused(Signal<?> signal, long items) {
      processorRefused.labelValues(id, pipeline, signal.name()).inc(items);
    }
  }

  /** Counts for one exporter. */
  public final class ExporterTelemetry {
    private final String id;

    private ExporterTelemetry(String id) {
      this.id = id;
    }

    public void sent(Signal<?> signal, long items) {
      exporterSent.labelValues(id, signal.name()).inc(items);
    }

    /** Items given up on; {@code reason} is a short stable label, e.g. {@code permanent}. */
    public void sendFailed(Signal<?> signal, long items, String reason) {
      exporterSendFailed.labelValues(id, signal.name(), reason).inc(items);
    }

    public void enqueueFailed(Signal<?> signal, long items) {
      exporterEnqueueFailed.labelValues(id, signal.name()).inc(items);
    }

    /** Reports a queue's size and capacity, read at every scrape. */
    public void queue(Signal<?> signal, LongSupplier size, LongSupplier capacity) {
      queueSizes.put(List.of(id, signal.name()), size);
      queueCapacities.put(List.of(id, signal.name()), capacity);
    }
  }
}
