package io.vigil.demo.services.fault;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The faults a demo service can be told to show, with the one parameter each takes. */
public enum FaultKind {
  /** Every API request waits {@code delay_ms} before it is handled. */
  LATENCY("delay_ms", 500),
  /** A share {@code rate} (0..1) of API requests fail with HTTP 500 and an error log. */
  ERROR_RATE("rate", 0.5),
  /** Calls to the named {@code dependency} go to a port where nothing listens. */
  DEPENDENCY_OUTAGE("dependency", null),
  /** Database queries take {@code delay_ms} longer, inside the database. */
  SLOW_QUERY("delay_ms", 300),
  /** {@code threads} threads spin on the CPU. */
  CPU_BURN("threads", 1),
  /** {@code mb_per_second} of heap is retained and never released while the fault lasts. */
  MEMORY_LEAK("mb_per_second", 4),
  /** {@code lines_per_second} warning lines flood the log. */
  LOG_STORM("lines_per_second", 500),
  /**
   * A failure with a precursor, for failure prediction: for {@code ramp_s} seconds heap is
   * retained at a steady rate towards 85 % of the maximum (the leak a heap chart shows
   * minutes ahead), then half of the API requests fail for want of heap until it is cleared.
   */
  HEAP_EXHAUSTION("ramp_s", 240);

  private final String parameter;
  private final Object defaultValue;

  FaultKind(String parameter, Object defaultValue) {
    this.parameter = parameter;
    this.defaultValue = defaultValue;
  }

  public String parameter() {
    return parameter;
  }

  public Object defaultValue() {
    return defaultValue;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FaultKind fromWire(String name) {
    for (FaultKind k : values()) {
      if (k.wireName().equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown fault kind '" + name + "'; known: "
        + Arrays.stream(values()).map(FaultKind::wireName).collect(Collectors.joining(", ")));
  }
}
