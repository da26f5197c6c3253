package io.vigil.core.component;

import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The consumer a receiver should feed, per signal; absent for signals no pipeline takes. */
public final class SignalConsumers {

  private final Map<Signal<?>, Consumer<?>> bySignal;

  private SignalConsumers(Map<Signal<?>, Consumer<?>> bySignal) {
    this.bySignal = bySignal;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The consumer for this signal, or null when no pipeline of that signal uses the receiver. */
  @SuppressWarnings("unchecked")
  public <T> Consumer<T> get(Signal<?> signal) {
    return (Consumer<T>) bySignal.get(signal);
  }

  public Set<Signal<?>> signals() {
    return bySignal.keySet();
  }

  /** Builds a {@link SignalConsumers}. */
  public static final class Builder {
    private final Map<Signal<?>, Consumer<?>> map = new HashMap<>();

    public <T extends com.google.protobuf.Message> Builder put(
        Signal<T> signal, Consumer<T> consumer) {
      map.put(signal, consumer);
      return this;
    }

    public SignalConsumers build() {
      return new SignalConsumers(Map.copyOf(map));
    }
  }
}
