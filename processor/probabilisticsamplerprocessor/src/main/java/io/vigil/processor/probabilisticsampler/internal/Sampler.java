package io.vigil.processor.probabilisticsampler.internal;

/**
 * A sampling mode's decision: the threshold an item must pass, given the threshold it arrived
 * with (null when none), as the Collector's {@code dataSampler.decide}.
 */
public interface Sampler {
  Threshold decide(Threshold arriving);

  /** Whether this is the legacy hash_seed mode, whose randomness comes from an FNV hash. */
  default boolean hashing() {
    return false;
  }

  long hashSeed();

  /** Never samples (0 %). */
  record Never(long hashSeed) implements Sampler {
    @Override
    public Threshold decide(Threshold arriving) {
      return Threshold.NEVER;
    }
  }

  /** hash_seed: the Collector's original 14-bit FNV decision, as a fixed threshold. */
  record HashSeed(Threshold threshold, long hashSeed) implements Sampler {
    @Override
    public Threshold decide(Threshold arriving) {
      return threshold;
    }

    @Override
    public boolean hashing() {
      return true;
    }
  }

  /** equalizing: one threshold for everything, whatever earlier samplers did. */
  record Equalizing(Threshold threshold, long hashSeed) implements Sampler {
    @Override
    public Threshold decide(Threshold arriving) {
      return threshold;
    }
  }

  /** proportional: the arriving probability times the ratio. */
  record Proportional(double ratio, int precision, long hashSeed) implements Sampler {
    @Override
    public Threshold decide(Threshold arriving) {
      double incoming = arriving == null ? 1.0 : arriving.probability();
      Threshold t = Threshold.ofProbability(incoming * ratio, precision);
      return t == null ? Threshold.NEVER : t;
    }
  }

  /** The Collector's {@code makeSampler}: picks and configures the mode. */
  static Sampler of(String mode, float percentage, long hashSeed, int precision, boolean logsByRecord) {
    float pct = Math.min(percentage, 100f);
    String m = mode == null || mode.isEmpty()
        ? (hashSeed != 0 || logsByRecord ? "hash_seed" : "proportional")
        : mode;
    if (pct == 0) {
      return new Never(hashSeed);
    }
    double ratio = Math.max((double) pct / 100, Threshold.MIN_PROBABILITY);
    return switch (m) {
      case "equalizing" -> new Equalizing(Threshold.ofProbability(ratio, precision), hashSeed);
      case "proportional" -> new Proportional(ratio, precision, hashSeed);
      default -> {
        // As the Collector: the product in 32-bit float, truncated (its original behaviour,
        // kept so that decisions agree across versions).
        long scaled = (long) (pct * (0x4000 / 100.0f));
        if (scaled == 0) {
          yield new Never(hashSeed);
        }
        yield new HashSeed(new Threshold((0x4000L - scaled) << 42), hashSeed);
      }
    };
  }
}
