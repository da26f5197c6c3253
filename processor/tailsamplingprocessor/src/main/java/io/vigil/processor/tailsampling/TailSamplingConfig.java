package io.vigil.processor.tailsampling;

import io.vigil.processor.tailsampling.policy.PolicyConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Config of the {@code tail_sampling} processor; keys as the Collector's tailsamplingprocessor. */
public class TailSamplingConfig {
  /** How long after a trace's first span its decision is made. */
  public Duration decisionWait = Duration.ofSeconds(30);
  /** The most traces buffered undecided; over it the oldest is dropped (and counted). */
  public int numTraces = 50_000;
  /** Sizing hint for the buffer. */
  public int expectedNewTracesPerSec = 0;
  public DecisionCache decisionCache = new DecisionCache();
  public List<PolicyConfig> policies = new ArrayList<>();
  /** Stop evaluating at the first policy that samples. */
  public boolean sampleOnFirstMatch = false;
  /** At shutdown, drop buffered traces instead of deciding on what arrived so far. */
  public boolean dropPendingTracesOnShutdown = false;

  /** {@code decision_cache}: decisions kept for spans that arrive after their trace was decided. */
  public static class DecisionCache {
    /** Trace IDs of kept traces remembered; 0: the last {@code num_traces}. */
    public int sampledCacheSize = 0;
    /** Trace IDs of dropped traces remembered; 0: the last {@code num_traces}. */
    public int nonSampledCacheSize = 0;
  }
}
