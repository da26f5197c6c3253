package io.vigil.core.pipeline;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.Component;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Connector;
import io.vigil.core.component.ConnectorFactory;
import io.vigil.core.component.ConnectorOutputs;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.ExporterFactory;
import io.vigil.core.component.Extension;
import io.vigil.core.component.ExtensionFactory;
import io.vigil.core.component.Host;
import io.vigil.core.component.Processor;
import io.vigil.core.component.ProcessorFactory;
import io.vigil.core.component.ReceiverFactory;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.config.ComponentConfig;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.config.PipelineConfig;
import io.vigil.core.config.PipelineId;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running shape of a config: every component instance, wired receiver → processors →
 * exporters per pipeline, with connectors joining pipelines.
 *
 * <p>Receivers and exporters are created once per ID and shared by the pipelines that list
 * them; processors are created per pipeline. Start goes from the exporters backwards so that no
 * data arrives before it can leave; shutdown goes from the receivers forwards, pipeline by
 * pipeline in graph order, so every stage (a connector's last flush included) drains into one
 * that still runs.
 */
public final class PipelineGraph {

  private static final Logger log = LoggerFactory.getLogger(PipelineGraph.class);

  /** A created component with what it is, for ordered start and stop and for health. */
  private static final class Node {
    final ComponentKind kind;
    final String label;
    final Component component;

    Node(ComponentKind kind, String label, Component component) {
      this.kind = kind;
      this.label = label;
      this.component = component;
    }
  }

  private final GatewayConfig config;
  private final GatewayTelemetry telemetry;
  private final Map<ComponentId, Exporter> exporters = new LinkedHashMap<>();
  private final Map<String, Consumer<?>> connectorEntries = new LinkedHashMap<>();
  private final Map<PipelineId, Consumer<?>> pipelineEntries = new LinkedHashMap<>();
  private final Set<PipelineId> building = new HashSet<>();
  private final List<Node> extensions = new ArrayList<>();
  /**
   * The extensions listed in service::extensions, by ID; only those are built, as in the
   * Collector, so one configured but not listed is validated and otherwise ignored.
   */
  private final Map<ComponentId, Extension> extensionsById = new LinkedHashMap<>();
  private final Host host = () -> Collections.unmodifiableMap(extensionsById);
  private final List<Node> exporterNodes = new ArrayList<>();
  private final List<Node> connectorNodes = new ArrayList<>();
  /**
   * Processors per pipeline, in the order the pipelines were built: a pipeline is built after
   * every pipeline its connectors feed, so this is downstream-first (a DFS post-order) and its
   * reverse is a topological order of the pipelines.
   */
  private final Map<PipelineId, List<Node>> processorNodes = new LinkedHashMap<>();
  /** Per pipeline, the connector instances that feed it (it lists them as receivers). */
  private final Map<PipelineId, List<Node>> feedingConnectors = new LinkedHashMap<>();
  private final List<Node> receivers = new ArrayList<>();
  private final List<Node> started = new ArrayList<>();
  private volatile boolean running;

  private PipelineGraph(GatewayConfig config, GatewayTelemetry telemetry) {
    this.config = config;
    this.telemetry = telemetry;
  }

  /** Creates every component the pipelines use; nothing is started yet. */
  public static PipelineGraph build(GatewayConfig config, GatewayTelemetry telemetry) {
    PipelineGraph g = new PipelineGraph(config, telemetry);
    g.buildAll();
    return g;
  }

  private void buildAll() {
    for (ComponentId id : config.extensions()) {
      ComponentConfig c = config.component(ComponentKind.EXTENSION, id);
      Extension e = createExtension(c);
      extensionsById.put(id, e);
      extensions.add(new Node(ComponentKind.EXTENSION, c.keyPath(), e));
    }
    for (PipelineConfig p : config.pipelines().values()) {
      pipelineEntry(p.id());
    }
    Map<ComponentId, Map<Signal<?>, List<PipelineId>>> receiverUse = new LinkedHashMap<>();
    for (PipelineConfig p : config.pipelines().values()) {
      for (ComponentId r : p.receivers()) {
        if (config.component(ComponentKind.RECEIVER, r) != null) {
          receiverUse
              .computeIfAbsent(r, k -> new LinkedHashMap<>())
              .computeIfAbsent(p.id().signal(), k -> new ArrayList<>())
              .add(p.id());
        }
      }
    }
    receiverUse.forEach(
        (id, bySignal) -> {
          SignalConsumers.Builder consumers = SignalConsumers.builder();
          bySignal.forEach((signal, pipelines) -> putEntry(consumers, signal, pipelines));
          ComponentConfig c = config.component(ComponentKind.RECEIVER, id);
          receivers.add(
              new Node(ComponentKind.RECEIVER, c.keyPath(), createReceiver(c, consumers.build())));
        });
  }

  private <T extends Message> void putEntry(
      SignalConsumers.Builder consumers, Signal<T> signal, List<PipelineId> pipelines) {
    consumers.put(signal, fanOutTo(pipelines));
  }

  @SuppressWarnings("unchecked")
  private <T extends Message> Consumer<T> entryOf(PipelineId id) {
    return (Consumer<T>) pipelineEntry(id);
  }

  /** Builds a pipeline (and, first, every pipeline its connectors feed); returns its entry. */
  private Consumer<?> pipelineEntry(PipelineId id) {
    Consumer<?> existing = pipelineEntries.get(id);
    if (existing != null) {
      return existing;
    }
    if (!building.add(id)) {
      throw new ConfigException(
          "service::pipelines::" + id, "pipelines form a cycle through connectors");
    }
    Consumer<?> entry = buildPipeline(config.pipelines().get(id), id.signal());
    building.remove(id);
    pipelineEntries.put(id, entry);
    return entry;
  }

  private <T extends Message> Consumer<T> buildPipeline(PipelineConfig p, Signal<T> signal) {
    List<Consumer<T>> outs = new ArrayList<>();
    for (ComponentId e : p.exporters()) {
      outs.add(
          config.component(ComponentKind.EXPORTER, e) != null
              ? exporter(e).consumer(signal)
              : connectorEntry(e, signal));
    }
    Consumer<T> next = FanOutConsumer.of(outs);
    List<Node> nodes = new ArrayList<>();
    List<ComponentId> processors = p.processors();
    for (int i = processors.size() - 1; i >= 0; i--) {
      ComponentId id = processors.get(i);
      ComponentConfig c = config.component(ComponentKind.PROCESSOR, id);
      GatewayTelemetry.ProcessorTelemetry pt = telemetry.processor(id, p.id().toString());
      Processor<T> processor =
          createProcessor(c, signal, ObservedProcessor.countingOutgoing(next, signal, pt));
      Processor<T> observed = new ObservedProcessor<>(processor, signal, pt);
      nodes.add(0, new Node(ComponentKind.PROCESSOR, c.keyPath() + " in " + p.id(), observed));
      next = observed;
    }
    processorNodes.put(p.id(), nodes);
    return next;
  }

  private Exporter exporter(ComponentId id) {
    return exporters.computeIfAbsent(
        id,
        k -> {
          ComponentConfig c = config.component(ComponentKind.EXPORTER, k);
          Set<Signal<?>> signals = new LinkedHashSet<>();
          for (PipelineConfig p : config.pipelines().values()) {
            if (p.exporters().contains(k)) {
              signals.add(p.id().signal());
            }
          }
          Exporter e = createExporter(c, signals);
          exporterNodes.add(new Node(ComponentKind.EXPORTER, c.keyPath(), e));
          return e;
        });
  }

  /**
   * The connector for (id, from), created on first use with every outgoing signal it supports:
   * pipelines that list it as a receiver are grouped by signal, and each group becomes one
   * output, so the factory sees all of them in a single {@code create} call.
   */
  @SuppressWarnings("unchecked")
  private <F extends Message> Consumer<F> connectorEntry(ComponentId id, Signal<F> from) {
    String key = id + "|" + from.name();
    Consumer<?> existing = connectorEntries.get(key);
    if (existing != null) {
      return (Consumer<F>) existing;
    }
    ComponentConfig c = config.component(ComponentKind.CONNECTOR, id);
    ConnectorFactory<Object> f = (ConnectorFactory<Object>) c.factory();
    Map<Signal<?>, List<PipelineId>> targets = new LinkedHashMap<>();
    for (PipelineConfig p : config.pipelines().values()) {
      if (p.receivers().contains(id)) {
        targets.computeIfAbsent(p.id().signal(), k -> new ArrayList<>()).add(p.id());
      }
    }
    ConnectorOutputs.Builder outputs = ConnectorOutputs.builder();
    targets.forEach(
        (to, pipelines) -> {
          if (f.supports(from, to)) {
            putOutput(outputs, to, pipelines);
          }
        });
    if (outputs.isEmpty()) {
      throw new ConfigException(c.keyPath(), "connector cannot take " + from.name()
          + " into any pipeline it feeds");
    }
    ConnectorOutputs built = outputs.build();
    Connector<F> connector = created(c, () -> f.create(settings(c), c.config(), from, built));
    Node node = new Node(
        ComponentKind.CONNECTOR, c.keyPath() + " (" + from + "→" + built + ")", connector);
    connectorNodes.add(node);
    targets.forEach((to, pipelines) -> {
      if (f.supports(from, to)) {
        pipelines.forEach(
            p -> feedingConnectors.computeIfAbsent(p, k -> new ArrayList<>()).add(node));
      }
    });
    connectorEntries.put(key, connector);
    return connector;
  }

  private <T extends Message> void putOutput(
      ConnectorOutputs.Builder outputs, Signal<T> to, List<PipelineId> pipelines) {
    outputs.put(to, fanOutTo(pipelines));
  }

  /** One consumer feeding the entry of each pipeline (building those pipelines first). */
  private <T extends Message> Consumer<T> fanOutTo(List<PipelineId> pipelines) {
    List<Consumer<T>> entries = new ArrayList<>();
    for (PipelineId p : pipelines) {
      entries.add(entryOf(p));
    }
    return FanOutConsumer.of(entries);
  }

  @SuppressWarnings("unchecked")
  private Exporter createExporter(ComponentConfig c, Set<Signal<?>> signals) {
    return created(c, () -> ((ExporterFactory<Object>) c.factory())
        .create(settings(c), c.config(), signals));
  }

  @SuppressWarnings("unchecked")
  private <T extends Message> Processor<T> createProcessor(
      ComponentConfig c, Signal<T> signal, Consumer<T> next) {
    return created(c, () -> ((ProcessorFactory<Object>) c.factory())
        .create(settings(c), c.config(), signal, next));
  }

  @SuppressWarnings("unchecked")
  private Component createReceiver(ComponentConfig c, SignalConsumers consumers) {
    return created(c, () -> ((ReceiverFactory<Object>) c.factory())
        .create(settings(c), c.config(), consumers));
  }

  @SuppressWarnings("unchecked")
  private Extension createExtension(ComponentConfig c) {
    return created(c, () -> ((ExtensionFactory<Object>) c.factory())
        .create(settings(c), c.config()));
  }

  /**
   * A factory's create that throws something other than a config error (a value its validation
   * let through) is reported as a config error naming the component, like a failed start.
   */
  private static <T> T created(ComponentConfig c, java.util.function.Supplier<T> create) {
    try {
      return create.get();
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConfigException(c.keyPath(), "cannot create: " + e.getClass().getSimpleName()
          + ": " + messageOf(e), e);
    }
  }

  private ComponentSettings settings(ComponentConfig c) {
    return new ComponentSettings(c.kind(), c.id(), telemetry, host);
  }

  /** The running extensions, as components see them. */
  public Host host() {
    return host;
  }

  /**
   * Starts extensions, exporters, connectors, processors, then receivers. If one fails, what
   * already started is shut down and the failure is thrown with the component's key path.
   */
  public void start() {
    List<Node> order = new ArrayList<>(extensions);
    order.addAll(exporterNodes);
    order.addAll(connectorNodes);
    processorNodes.values().forEach(order::addAll);
    order.addAll(receivers);
    for (Node n : order) {
      try {
        n.component.start(host);
        started.add(n);
      } catch (Exception e) {
        shutdownStarted(Instant.now().plusSeconds(5));
        if (e instanceof ConfigException) {
          throw ((ConfigException) e).under(n.label);
        }
        throw new ConfigException(n.label, "cannot start: " + messageOf(e), e);
      }
    }
    running = true;
    log.info(
        "Started {} pipelines: {} receivers, {} processors, {} exporters, {} connectors,"
            + " {} extensions",
        config.pipelines().size(), receivers.size(),
        processorNodes.values().stream().mapToInt(List::size).sum(), exporterNodes.size(),
        connectorNodes.size(), extensions.size());
  }

  /** Drains and stops everything within {@code timeout}; what is left is dropped and logged. */
  public void shutdown(Duration timeout) {
    running = false;
    shutdownStarted(Instant.now().plus(timeout));
  }

  /**
   * Stops in graph order: receivers, then pipeline by pipeline from upstream to downstream, each
   * pipeline's processors only after every connector feeding it has stopped (a connector such
   * as spanmetrics flushes what it holds when it stops, into that pipeline), and each connector
   * only after the pipelines feeding it have flushed their processors into it; then the
   * exporters, which drain their queues; then the extensions.
   */
  private void shutdownStarted(Instant deadline) {
    List<Node> order = new ArrayList<>(receivers);
    List<PipelineId> pipelines = new ArrayList<>(processorNodes.keySet());
    Collections.reverse(pipelines); // upstream first (reverse post-order: topological)
    for (PipelineId p : pipelines) {
      for (Node connector : feedingConnectors.getOrDefault(p, List.of())) {
        if (!order.contains(connector)) {
          order.add(connector);
        }
      }
      order.addAll(processorNodes.get(p));
    }
    connectorNodes.stream().filter(n -> !order.contains(n)).forEach(order::add);
    order.addAll(exporterNodes);
    order.addAll(extensions);
    for (Node n : order) {
      if (!started.remove(n)) {
        continue;
      }
      try {
        n.component.shutdown(deadline);
      } catch (RuntimeException e) {
        log.warn("Shutting down {} failed: {}", n.label, e.toString(), e);
      }
    }
  }

  public boolean isRunning() {
    return running;
  }

  private static String messageOf(Throwable e) {
    Throwable c = e;
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
      if (c.getMessage() != null && !b.toString().contains(c.getMessage())) {
        b.append(": ").append(c.getMessage());
      }
    }
    return b.toString();
  }
}
