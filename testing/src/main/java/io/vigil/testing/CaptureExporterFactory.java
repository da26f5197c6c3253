package io.vigil.testing;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.ExporterFactory;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test exporter (type {@code capture}) that records what reaches the end of a gateway's
 * pipeline, in a sink the test looks up by the config's {@code sink} name and can make refuse
 * or stall.
 */
public final class CaptureExporterFactory implements ExporterFactory<CaptureExporterFactory.Config> {

  private static final Map<String, Sink> SINKS = new ConcurrentHashMap<>();

  /** The recording consumers of one named sink, per signal. */
  public static final class Sink {
    private final Map<Signal<?>, RecordingConsumer<?>> bySignal = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    public <T extends Message> RecordingConsumer<T> get(Signal<T> signal) {
      return (RecordingConsumer<T>) bySignal.computeIfAbsent(signal, s -> new RecordingConsumer<>());
    }

    /** Every recorded batch of every signal will be answered by the same rule. */
    public void each(java.util.function.Consumer<RecordingConsumer<?>> action) {
      for (Signal<?> s : Signal.all()) {
        action.accept(get(s));
      }
    }
  }

  /** {@code sink}: the name tests use to find what arrived. */
  public static class Config {
    public String sink = "default";
  }

  public static Sink sink(String name) {
    return SINKS.computeIfAbsent(name, n -> new Sink());
  }

  public static void reset() {
    SINKS.clear();
  }

  @Override
  public String type() {
    return "capture";
  }

  @Override
  public Config createDefaultConfig() {
    return new Config();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  public Exporter create(ComponentSettings settings, Config config, Set<Signal<?>> signals) {
    Sink sink = sink(config.sink);
    return new Exporter() {
      @Override
      public <T extends Message> Consumer<T> consumer(Signal<T> signal) {
        return sink.get(signal);
      }
    };
  }
}
