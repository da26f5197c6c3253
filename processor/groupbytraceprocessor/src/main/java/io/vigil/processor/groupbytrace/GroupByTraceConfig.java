package io.vigil.processor.groupbytrace;

import java.time.Duration;

/** Config of the {@code groupbytrace} processor; keys as the Collector's. */
public class GroupByTraceConfig {
  /** How long a trace is held after its first span arrived, waiting for the rest. */
  public Duration waitDuration = Duration.ofSeconds(1);
  /** Traces held at most; beyond it the oldest is released early (counted as evicted). */
  public int numTraces = 1_000_000;
  /** Accepted for compatibility; releases run on one thread, which keeps per-trace order. */
  public int numWorkers = 1;
}
