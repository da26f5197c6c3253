package io.vigil.processor.probabilisticsampler;

/** Config of the {@code probabilistic_sampler} processor; keys as the Collector's. */
public class ProbabilisticSamplerConfig {
  /** Percentage of items kept: 0 keeps none, 100 and above all. */
  public float samplingPercentage = 0;
  /** Seed of the hash_seed mode's FNV hash (32-bit unsigned); the same across a tier. */
  public long hashSeed = 0;
  /** hash_seed, proportional or equalizing; empty: hash_seed when a seed is set, else proportional. */
  public String mode = "";
  /** Drop items whose sampling information is missing or inconsistent (else pass them). */
  public boolean failClosed = true;
  /** Hex digits of the threshold written into tracestate / sampling.threshold (1-14). */
  public int samplingPrecision = 4;
  /** Logs: traceID or record (use from_attribute even when a trace ID exists). */
  public String attributeSource = "traceID";
  /** Logs: attribute whose value is hashed when the trace ID is not used. */
  public String fromAttribute = "";
  /** Logs: attribute holding a per-record percentage (0 drops, higher can raise the rate). */
  public String samplingPriority = "";
}
