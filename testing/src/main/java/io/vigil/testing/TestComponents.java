package io.vigil.testing;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentRegistry;
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
import io.vigil.core.component.Receiver;
import io.vigil.core.component.ReceiverFactory;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.config.ConfigException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-memory components for pipeline and config tests: a receiver the test pushes through, a
 * processor that changes data, an exporter that records, and a forwarding connector. Each
 * records its lifecycle events in one shared list so tests can check start and stop order.
 */
public final class TestComponents {

  public final List<String> events = new CopyOnWriteArrayList<>();
  public final Map<ComponentId, TestReceiver> receivers = new ConcurrentHashMap<>();
  public final Map<ComponentId, TestExporter> exporters = new ConcurrentHashMap<>();
  public final Map<ComponentId, TestExtension> extensions = new ConcurrentHashMap<>();
  /** One entry per connector the graph created: "id from→[outputs]". */
  public final List<String> connectorsCreated = new CopyOnWriteArrayList<>();

  public ComponentRegistry registry() {
    return ComponentRegistry.builder()
        .add(ComponentKind.RECEIVER, new ReceiverF())
        .add(ComponentKind.PROCESSOR, new RenameF())
        .add(ComponentKind.EXPORTER, new ExporterF())
        .add(ComponentKind.CONNECTOR, new ForwardF())
        .add(ComponentKind.CONNECTOR, new SplitF())
        .add(ComponentKind.EXTENSION, new ExtensionF())
        .build();
  }

  /** Config of the test receiver. */
  public static class ReceiverConfig {
    public String endpoint = "127.0.0.1:0";
    public boolean failStart = false;
  }

  /** Config of the renaming processor. */
  public static class RenameConfig {
    public String spanName = "renamed";
  }

  /** Config of the recording exporter, with a nested block to test deep merge. */
  public static class ExporterConfig {
    /** A nested block. */
    public static class Nested {
      public int size = 10;
      public boolean enabled = true;
    }

    public Duration timeout = Duration.ofSeconds(5);
    public Nested queue = new Nested();
    public List<String> tags = new ArrayList<>();
    public String endpoint = "";
    /** ID of a {@code testext} extension to look up at start, as a sending queue's storage. */
    public String storage = "";
  }

  /** Config of the test extension. */
  public static class ExtensionConfig {
    public String label = "";
  }

  /** An extension that records its lifecycle, for ordering and host-lookup tests. */
  public final class TestExtension implements Extension {
    public final ComponentId id;
    public final ExtensionConfig config;

    TestExtension(ComponentId id, ExtensionConfig config) {
      this.id = id;
      this.config = config;
    }

    @Override
    public void start() {
      events.add("start extension " + id);
    }

    @Override
    public void shutdown(Instant deadline) {
      events.add("stop extension " + id);
    }
  }

  /** The forward connector has no settings. */
  public static class ForwardConfig {}

  /** The split connector has no settings. */
  public static class SplitConfig {}

  /** A receiver the test drives by hand. */
  public final class TestReceiver implements Receiver {
    public final ComponentId id;
    public final ReceiverConfig config;
    public final SignalConsumers consumers;

    TestReceiver(ComponentId id, ReceiverConfig config, SignalConsumers consumers) {
      this.id = id;
      this.config = config;
      this.consumers = consumers;
    }

    @Override
    public void start() {
      if (config.failStart) {
        throw new IllegalStateException("address already in use: " + config.endpoint);
      }
      events.add("start receiver " + id);
    }

    @Override
    public void shutdown(Instant deadline) {
      events.add("stop receiver " + id);
    }
  }

  /** An exporter that records per signal. */
  public final class TestExporter implements Exporter {
    public final ComponentId id;
    public final ExporterConfig config;
    public final Map<Signal<?>, RecordingConsumer<?>> recorded = new ConcurrentHashMap<>();

    TestExporter(ComponentId id, ExporterConfig config, Set<Signal<?>> signals) {
      this.id = id;
      this.config = config;
      signals.forEach(s -> recorded.put(s, new RecordingConsumer<>()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Message> RecordingConsumer<T> consumer(Signal<T> signal) {
      return (RecordingConsumer<T>) recorded.get(signal);
    }

    @Override
    public void start(Host host) {
      if (!config.storage.isEmpty()) {
        TestExtension ext = host.requireExtension(
            ComponentId.parse(config.storage), TestExtension.class, "storage");
        events.add("exporter " + id + " uses extension " + ext.id + " (" + ext.config.label + ")");
      }
      events.add("start exporter " + id);
    }

    @Override
    public void shutdown(Instant deadline) {
      events.add("stop exporter " + id);
    }
  }

  private final class ReceiverF implements ReceiverFactory<ReceiverConfig> {
    @Override
    public String type() {
      return "testrcv";
    }

    @Override
    public ReceiverConfig createDefaultConfig() {
      return new ReceiverConfig();
    }

    @Override
    public void validate(ReceiverConfig c) {
      // null: `endpoint:` with no value (ConfigLoaderCoreFuzzTest's finding in CI)
      if (c.endpoint == null || !c.endpoint.contains(":")) {
        throw new ConfigException("endpoint", "expected host:port, got \"" + c.endpoint + "\"");
      }
    }

    @Override
    public Set<Signal<?>> signals() {
      return Set.of(Signal.TRACES, Signal.LOGS);
    }

    @Override
    public Receiver create(ComponentSettings s, ReceiverConfig c, SignalConsumers consumers) {
      TestReceiver r = new TestReceiver(s.id(), c, consumers);
      receivers.put(s.id(), r);
      return r;
    }
  }

  /** Renames every span: a processor that changes data by building a new message. */
  private final class RenameF implements ProcessorFactory<RenameConfig> {
    @Override
    public String type() {
      return "rename";
    }

    @Override
    public RenameConfig createDefaultConfig() {
      return new RenameConfig();
    }

    @Override
    public Set<Signal<?>> signals() {
      return Set.of(Signal.TRACES);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Message> Processor<T> create(
        ComponentSettings s, RenameConfig c, Signal<T> signal, Consumer<T> next) {
      String label = s.id().toString();
      return new Processor<T>() {
        @Override
        public java.util.concurrent.CompletableFuture<Void> consume(T batch) {
          ExportTraceServiceRequest.Builder b = ((ExportTraceServiceRequest) batch).toBuilder();
          b.getResourceSpansBuilderList()
              .forEach(rs -> rs.getScopeSpansBuilderList()
                  .forEach(ss -> ss.getSpansBuilderList().forEach(sp -> sp.setName(c.spanName))));
          return next.consume((T) b.build());
        }

        @Override
        public void start() {
          events.add("start processor " + label);
        }

        @Override
        public void shutdown(Instant deadline) {
          events.add("stop processor " + label);
        }
      };
    }
  }

  private final class ExporterF implements ExporterFactory<ExporterConfig> {
    @Override
    public String type() {
      return "testexp";
    }

    @Override
    public ExporterConfig createDefaultConfig() {
      return new ExporterConfig();
    }

    @Override
    public Set<Signal<?>> signals() {
      return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
    }

    @Override
    public Exporter create(ComponentSettings s, ExporterConfig c, Set<Signal<?>> signals) {
      TestExporter e = new TestExporter(s.id(), c, signals);
      exporters.put(s.id(), e);
      return e;
    }
  }

  private final class ExtensionF implements ExtensionFactory<ExtensionConfig> {
    @Override
    public String type() {
      return "testext";
    }

    @Override
    public ExtensionConfig createDefaultConfig() {
      return new ExtensionConfig();
    }

    @Override
    public Extension create(ComponentSettings s, ExtensionConfig c) {
      events.add("create extension " + s.id());
      TestExtension e = new TestExtension(s.id(), c);
      extensions.put(s.id(), e);
      return e;
    }
  }

  /** Passes batches of one signal on unchanged, like the collector's forward connector. */
  private final class ForwardF implements ConnectorFactory<ForwardConfig> {
    @Override
    public String type() {
      return "forward";
    }

    @Override
    public ForwardConfig createDefaultConfig() {
      return new ForwardConfig();
    }

    @Override
    public boolean supports(Signal<?> from, Signal<?> to) {
      return from == to;
    }

    @Override
    public <F extends Message> Connector<F> create(
        ComponentSettings s, ForwardConfig c, Signal<F> from, ConnectorOutputs outputs) {
      Consumer<F> next = outputs.get(from).orElseThrow();
      return next::consume;
    }
  }

  /**
   * Traces in; the same traces out and one log record per span out, to whichever of the two
   * outputs the config wires. Proves a connector gets all its outputs in one instance.
   */
  private final class SplitF implements ConnectorFactory<SplitConfig> {
    @Override
    public String type() {
      return "split";
    }

    @Override
    public SplitConfig createDefaultConfig() {
      return new SplitConfig();
    }

    @Override
    public boolean supports(Signal<?> from, Signal<?> to) {
      return from == Signal.TRACES && (to == Signal.TRACES || to == Signal.LOGS);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <F extends Message> Connector<F> create(
        ComponentSettings s, SplitConfig c, Signal<F> from, ConnectorOutputs outputs) {
      connectorsCreated.add(s.id() + " " + from + "→" + outputs.signals());
      Consumer<ExportTraceServiceRequest> traces = outputs.get(Signal.TRACES).orElse(null);
      Consumer<ExportLogsServiceRequest> logs = outputs.get(Signal.LOGS).orElse(null);
      Connector<ExportTraceServiceRequest> split = batch -> {
        CompletableFuture<Void> t = traces == null
            ? CompletableFuture.completedFuture(null) : traces.consume(batch);
        int spans = batch.getResourceSpansList().stream()
            .flatMap(r -> r.getScopeSpansList().stream()).mapToInt(x -> x.getSpansCount()).sum();
        CompletableFuture<Void> l = logs == null
            ? CompletableFuture.completedFuture(null) : logs.consume(TestData.logs(spans));
        return CompletableFuture.allOf(t, l);
      };
      return (Connector<F>) split;
    }
  }
}
