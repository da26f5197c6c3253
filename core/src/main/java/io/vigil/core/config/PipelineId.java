package io.vigil.core.config;

import io.vigil.core.Signal;
import java.util.Objects;

/** A pipeline's ID: its signal and an optional name, {@code traces} or {@code logs/audit}. */
public final class PipelineId {

  private final Signal<?> signal;
  private final String name;

  private PipelineId(Signal<?> signal, String name) {
    this.signal = signal;
    this.name = name;
  }

  /**
   * Parses {@code signal[/name]}.
   *
   * @throws IllegalArgumentException naming the problem
   */
  public static PipelineId parse(String id) {
    int slash = id.indexOf('/');
    String type = slash < 0 ? id : id.substring(0, slash);
    String name = slash < 0 ? "" : id.substring(slash + 1);
    Signal<?> s = Signal.forName(type);
    if (s == null) {
      throw new IllegalArgumentException(
          "unknown pipeline type \"" + type + "\"; a pipeline ID starts with traces, metrics or"
              + " logs");
    }
    if (slash >= 0 && (name.isEmpty() || name.contains("/"))) {
      throw new IllegalArgumentException("invalid pipeline name in \"" + id + "\"");
    }
    return new PipelineId(s, name);
  }

  public Signal<?> signal() {
    return signal;
  }

  public String name() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PipelineId
        && ((PipelineId) o).signal == signal
        && ((PipelineId) o).name.equals(name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(signal.name(), name);
  }

  @Override
  public String toString() {
    return name.isEmpty() ? signal.name() : signal.name() + "/" + name;
  }
}
