package io.vigil.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentFactory;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.ConnectorFactory;
import io.vigil.core.component.ExporterFactory;
import io.vigil.core.component.ExtensionFactory;
import io.vigil.core.component.ProcessorFactory;
import io.vigil.core.component.Receiver;
import io.vigil.core.component.ReceiverFactory;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.EnvSubstitution;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.pipeline.PipelineGraph;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract every component factory keeps, run by one small subclass in each component
 * module's test tree (named {@code *FactoryContractTest}; the gateway distribution's tests fail
 * when a factory ServiceLoader finds has none).
 *
 * <p>The component is driven only through public, stable APIs: a YAML config loaded by
 * {@link ConfigLoader} and a {@link PipelineGraph} built from it. Around the component under
 * test the contract wires a {@code contract_in} receiver (defined here, not ServiceLoader
 * registered) whose pipeline entry points the test feeds, and the {@code capture} exporter
 * (see {@link CaptureExporterFactory}), whose sink the test can make stall. Connectors are
 * therefore never created directly.
 *
 * <ul>
 *   <li>the factory is the one ServiceLoader finds for its kind and type;
 *   <li>the default config validates (or, for components with a required key, the default is
 *       refused and the subclass's minimal config loads);
 *   <li>two instances, one after the other, start and shut down with no traffic, leaving no
 *       non-daemon thread behind (and, as both use the same ports, no port held);
 *   <li>an empty batch of every signal the component takes is accepted;
 *   <li>shutdown with a stalled downstream (a capture sink whose futures never complete, or
 *       for exporters a backend that accepts TCP connections and never answers) returns within
 *       its deadline plus {@link #SHUTDOWN_GRACE}.
 * </ul>
 */
public abstract class ComponentFactoryContract {

  /** The shutdown deadline every test gives the pipeline graph. */
  protected static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(1);

  /** How much longer than its deadline shutdown may take (a loaded CI machine, joins). */
  protected static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(4);

  /** How long an empty batch may take to be accepted. */
  protected static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(10);

  private static final String CONTRACT_IN = "contract_in";

  private final AtomicReference<SignalConsumers> entries = new AtomicReference<>();
  private final List<PipelineGraph> running = new ArrayList<>();
  private final String sink = "contract-" + UUID.randomUUID();

  /** A fresh instance of the factory under test, e.g. {@code new BatchProcessorFactory()}. */
  protected abstract ComponentFactory<?> factory();

  /**
   * The component's config as a one-line YAML flow mapping, e.g. {@code {endpoint: 127.0.0.1:4317}};
   * an empty string keeps every default. Called once per test. Components that listen use free
   * ports here; exporters point at {@code backend}, a {@code host:port} where nothing listens or,
   * in the stalled-shutdown test, where a socket accepts connections and never answers.
   */
  protected String config(String backend) {
    return "";
  }

  /**
   * Whether {@code createDefaultConfig()} passes {@code validate} by itself. A subclass whose
   * component has a required key (an exporter's endpoint, the memory limiter's limit) returns
   * false and says which key in a comment; the contract then checks the default is refused with
   * a {@link ConfigException} and that {@link #config} loads.
   */
  protected boolean defaultConfigValidates() {
    return true;
  }

  /**
   * Receivers only: sends {@code batch} to the receiver under test over its own protocol (the
   * config from {@link #config} tells the subclass where); the future completes when the
   * receiver answered, and fails when it refused. The default aborts the traffic tests.
   */
  protected CompletableFuture<?> sendToReceiver(Signal<?> signal, Message batch) {
    Assumptions.abort("the subclass does not send over the receiver's protocol");
    return null;
  }

  // ---------------------------------------------------------------------------------------

  @Test
  void serviceLoaderFindsThisFactory() {
    ComponentFactory<?> f = factory();
    ComponentFactory<?> found = ComponentRegistry.load().factory(kind(), f.type());
    assertNotNull(found, "ServiceLoader finds no " + kind().section() + " factory of type "
        + f.type() + ": is it listed in META-INF/services?");
    assertEquals(f.getClass(), found.getClass());
  }

  @Test
  @SuppressWarnings("unchecked")
  void defaultConfigValidatesOrNamesTheRequiredKey() {
    ComponentFactory<Object> f = (ComponentFactory<Object>) factory();
    Object defaults = f.createDefaultConfig();
    assertNotNull(defaults, "createDefaultConfig() returned null");
    assertNotSame(defaults, f.createDefaultConfig(),
        "createDefaultConfig() must return a fresh config each time");
    if (defaultConfigValidates()) {
      assertDoesNotThrow(() -> f.validate(defaults), "the default config does not validate");
      assertDoesNotThrow(() -> load(""), "a config that sets no key does not load");
    } else {
      assertThrows(ConfigException.class, () -> f.validate(defaults),
          "the subclass says a key is required, but the default config validates");
    }
    assertDoesNotThrow(() -> load(config(FreePort.endpoint())),
        "the subclass's minimal config does not load");
  }

  @Test
  void createStartShutdownTwiceWithNoTraffic() {
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    String cfg = config(FreePort.endpoint());
    for (int i = 1; i <= 2; i++) {
      PipelineGraph g = start(cfg);
      shutdownWithinDeadline(g, "instance " + i);
    }
    try {
      Awaitility.await("threads left by the component to end")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> leakedThreads(before).isEmpty());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      fail("non-daemon threads still alive 10s after shutdown: " + leakedThreads(before));
    }
  }

  @Test
  void emptyBatchOfEverySignalIsAccepted() {
    PipelineGraph g = start(config(FreePort.endpoint()));
    for (Signal<?> s : inputSignals()) {
      CompletableFuture<?> f = send(s, s.empty());
      try {
        f.get(ACCEPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        fail("an empty " + s + " batch was not answered within " + ACCEPT_TIMEOUT);
      } catch (ExecutionException e) {
        fail("an empty " + s + " batch was refused: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail(e);
      }
    }
    shutdownWithinDeadline(g, "after empty batches");
  }

  @Test
  void shutdownWithStalledDownstreamEndsWithinDeadline() throws IOException {
    for (Signal<?> s : Signal.all()) {
      stall(CaptureExporterFactory.sink(sink).get(s));
    }
    // For exporters: a backend that takes the TCP connection (the kernel backlog) and never
    // reads or answers. For other kinds the stalled capture sink is the downstream.
    try (ServerSocket stalledBackend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      PipelineGraph g = start(config("127.0.0.1:" + stalledBackend.getLocalPort()));
      List<CompletableFuture<?>> inFlight = new ArrayList<>();
      for (Signal<?> s : inputSignals()) {
        inFlight.add(send(s, sample(s)));
      }
      if (kind() == ComponentKind.RECEIVER || kind() == ComponentKind.PROCESSOR) {
        // Shut down only once the batch is stuck downstream, not while it is still upstream.
        Awaitility.await("a batch to reach the stalled capture sink")
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> inputSignals().stream()
                .anyMatch(s -> CaptureExporterFactory.sink(sink).get(s).batchCount() > 0));
      }
      shutdownWithinDeadline(g, "with a stalled downstream");
      inFlight.forEach(f -> f.cancel(true));
    }
  }

  @AfterEach
  void shutdownLeftovers() {
    for (PipelineGraph g : running) {
      if (g.isRunning()) {
        g.shutdown(Duration.ZERO);
      }
    }
    running.clear();
  }

  // ---------------------------------------------------------------------------------------

  private static <T> void stall(RecordingConsumer<T> c) {
    c.answerWith(b -> new CompletableFuture<>());
  }

  private static Set<String> leakedThreads(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.isAlive() && !t.isDaemon())
        .map(Thread::getName)
        .filter(n -> !n.startsWith("junit-") && !n.startsWith("awaitility"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private void shutdownWithinDeadline(PipelineGraph g, String what) {
    assertTimeoutPreemptively(SHUTDOWN_TIMEOUT.plus(SHUTDOWN_GRACE),
        () -> g.shutdown(SHUTDOWN_TIMEOUT),
        "shutdown " + what + " overran its " + SHUTDOWN_TIMEOUT + " deadline by more than "
            + SHUTDOWN_GRACE);
  }

  private static Message sample(Signal<?> s) {
    if (s == Signal.TRACES) {
      return TestData.spans(2);
    } else if (s == Signal.METRICS) {
      return TestData.gaugePoints(2);
    }
    return TestData.logs(2);
  }

  @SuppressWarnings("unchecked")
  private CompletableFuture<?> send(Signal<?> s, Message batch) {
    if (kind() == ComponentKind.RECEIVER) {
      return sendToReceiver(s, batch);
    }
    SignalConsumers in = entries.get();
    assertNotNull(in, "the contract_in receiver was not created");
    Consumer<Message> c = in.get(s);
    assertNotNull(c, "no pipeline takes " + s);
    return c.consume(batch);
  }

  private PipelineGraph start(String cfg) {
    entries.set(null);
    PipelineGraph g = PipelineGraph.build(load(cfg), new GatewayTelemetry());
    running.add(g);
    g.start();
    return g;
  }

  private GatewayConfig load(String cfg) {
    return new ConfigLoader(registry(), new EnvSubstitution(Map.<String, String>of()::get))
        .load(yaml(cfg));
  }

  private ComponentKind kind() {
    ComponentFactory<?> f = factory();
    if (f instanceof ReceiverFactory) {
      return ComponentKind.RECEIVER;
    } else if (f instanceof ProcessorFactory) {
      return ComponentKind.PROCESSOR;
    } else if (f instanceof ExporterFactory) {
      return ComponentKind.EXPORTER;
    } else if (f instanceof ConnectorFactory) {
      return ComponentKind.CONNECTOR;
    } else if (f instanceof ExtensionFactory) {
      return ComponentKind.EXTENSION;
    }
    throw new IllegalStateException(f.getClass() + " implements no kind of factory");
  }

  /** Signals the test sends: what the component takes (for connectors, what it can take in). */
  private Set<Signal<?>> inputSignals() {
    ComponentFactory<?> f = factory();
    Set<Signal<?>> out = new LinkedHashSet<>();
    for (Signal<?> s : Signal.all()) {
      boolean takes;
      if (f instanceof ReceiverFactory) {
        takes = ((ReceiverFactory<?>) f).signals().contains(s);
      } else if (f instanceof ProcessorFactory) {
        takes = ((ProcessorFactory<?>) f).signals().contains(s);
      } else if (f instanceof ExporterFactory) {
        takes = ((ExporterFactory<?>) f).signals().contains(s);
      } else if (f instanceof ConnectorFactory) {
        takes = connectorOutputs(s).size() > 0;
      } else {
        takes = false;
      }
      if (takes) {
        out.add(s);
      }
    }
    return out;
  }

  private Set<Signal<?>> connectorOutputs(Signal<?> from) {
    ConnectorFactory<?> f = (ConnectorFactory<?>) factory();
    Set<Signal<?>> out = new LinkedHashSet<>();
    for (Signal<?> to : Signal.all()) {
      if (f.supports(from, to)) {
        out.add(to);
      }
    }
    return out;
  }

  /** The gateway config around the component: contract_in → component → capture. */
  private String yaml(String cfg) {
    String type = factory().type();
    String value = cfg == null || cfg.isBlank() ? "" : " " + cfg;
    String capture = "exporters:\n  capture: {sink: " + sink + "}\n";
    StringBuilder y = new StringBuilder();
    List<String> pipelines = new ArrayList<>();
    switch (kind()) {
      case RECEIVER:
        y.append("receivers:\n  ").append(type).append(':').append(value).append('\n')
            .append(capture);
        inputSignals().forEach(s -> pipelines.add(
            s + "/contract: {receivers: [" + type + "], exporters: [capture]}"));
        break;
      case PROCESSOR:
        y.append("receivers:\n  ").append(CONTRACT_IN).append(":\n")
            .append("processors:\n  ").append(type).append(':').append(value).append('\n')
            .append(capture);
        inputSignals().forEach(s -> pipelines.add(s + "/contract: {receivers: [" + CONTRACT_IN
            + "], processors: [" + type + "], exporters: [capture]}"));
        break;
      case EXPORTER:
        y.append("receivers:\n  ").append(CONTRACT_IN).append(":\n")
            .append("exporters:\n  ").append(type).append(':').append(value).append('\n');
        inputSignals().forEach(s -> pipelines.add(
            s + "/contract: {receivers: [" + CONTRACT_IN + "], exporters: [" + type + "]}"));
        break;
      case CONNECTOR:
        y.append("receivers:\n  ").append(CONTRACT_IN).append(":\n")
            .append("connectors:\n  ").append(type).append(':').append(value).append('\n')
            .append(capture);
        Set<Signal<?>> outputs = new LinkedHashSet<>();
        for (Signal<?> from : inputSignals()) {
          outputs.addAll(connectorOutputs(from));
          pipelines.add(from + "/contract_in: {receivers: [" + CONTRACT_IN + "], exporters: ["
              + type + "]}");
        }
        outputs.forEach(to -> pipelines.add(
            to + "/contract_out: {receivers: [" + type + "], exporters: [capture]}"));
        break;
      default:
        Assumptions.abort("the contract does not cover " + kind().section() + " yet");
    }
    y.append("service:\n  pipelines:\n");
    pipelines.forEach(p -> y.append("    ").append(p).append('\n'));
    return y.toString();
  }

  /** Every factory ServiceLoader finds, plus {@code contract_in}. */
  private ComponentRegistry registry() {
    ComponentRegistry loaded = ComponentRegistry.load();
    ComponentRegistry.Builder b = ComponentRegistry.builder()
        .add(ComponentKind.RECEIVER, new ContractInFactory());
    for (ComponentKind k : ComponentKind.values()) {
      for (String t : loaded.types(k)) {
        if (!(k == ComponentKind.RECEIVER && t.equals(CONTRACT_IN))) {
          b.add(k, loaded.factory(k, t));
        }
      }
    }
    return b.build();
  }

  /** A receiver that hands its pipeline entry points to the test. */
  private final class ContractInFactory implements ReceiverFactory<StandInReceiverFactory.Config> {

    @Override
    public String type() {
      return CONTRACT_IN;
    }

    @Override
    public StandInReceiverFactory.Config createDefaultConfig() {
      return new StandInReceiverFactory.Config();
    }

    @Override
    public Set<Signal<?>> signals() {
      return Set.copyOf(Signal.all());
    }

    @Override
    public Receiver create(
        ComponentSettings s, StandInReceiverFactory.Config c, SignalConsumers consumers) {
      entries.set(consumers);
      return new Receiver() {};
    }
  }
}
