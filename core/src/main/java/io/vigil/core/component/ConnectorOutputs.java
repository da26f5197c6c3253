package io.vigil.core.component;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every consumer one connector emits into, by outgoing signal. Each consumer feeds all the
 * pipelines of that signal that list the connector as a receiver.
 *
 * <p>A signal is absent when no pipeline takes it from the connector (or the connector cannot
 * emit it): a config may wire only some of a connector's outputs, so a connector that can emit
 * several signals must work with any non-empty subset of them.
 */
public final class ConnectorOutputs {

  private final Map<Signal<?>, Consumer<?>> bySignal;

  private ConnectorOutputs(Map<Signal<?>, Consumer<?>> bySignal) {
    this.bySignal = bySignal;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Outputs with a single signal, e.g. for a connector that emits only one. */
  public static <T extends Message> ConnectorOutputs of(Signal<T> signal, Consumer<T> consumer) {
    return builder().put(signal, consumer).build();
  }

  /** The consumer for {@code signal}, or empty when no pipeline takes that signal from here. */
  @SuppressWarnings("unchecked")
  public <T extends Message> Optional<Consumer<T>> get(Signal<T> signal) {
    return Optional.ofNullable((Consumer<T>) bySignal.get(signal));
  }

  /** The signals present, in the order the pipelines first name them. */
  public Set<Signal<?>> signals() {
    return bySignal.keySet();
  }

  @Override
  public String toString() {
    return bySignal.keySet().toString();
  }

  /** Builds {@link ConnectorOutputs}; the pipeline graph fills one per (connector, from). */
  public static final class Builder {
    private final Map<Signal<?>, Consumer<?>> map = new LinkedHashMap<>();

    private Builder() {}

    public <T extends Message> Builder put(Signal<T> signal, Consumer<T> consumer) {
      if (map.putIfAbsent(signal, java.util.Objects.requireNonNull(consumer)) != null) {
        throw new IllegalArgumentException("output for " + signal + " is already set");
      }
      return this;
    }

    public boolean isEmpty() {
      return map.isEmpty();
    }

    public ConnectorOutputs build() {
      return new ConnectorOutputs(Collections.unmodifiableMap(new LinkedHashMap<>(map)));
    }
  }
}
