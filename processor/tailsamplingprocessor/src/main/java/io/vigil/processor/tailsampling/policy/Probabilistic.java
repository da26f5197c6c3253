package io.vigil.processor.tailsampling.policy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * {@code probabilistic}: the Collector's hash, FNV-1a (64 bit) over {@code hash_salt} and the
 * trace ID, sampled when it is at most {@code sampling_percentage} of the hash range, so every
 * gateway with the same salt decides a trace the same way.
 */
final class Probabilistic implements PolicyEvaluator {

  /** The Collector's salt when none is configured. */
  static final String DEFAULT_SALT = "default-hash-seed";
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private final byte[] salt;
  private final long threshold;
  private final boolean never;

  Probabilistic(PolicyConfig.Probabilistic c) {
    this.salt = (c.hashSalt == null || c.hashSalt.isEmpty() ? DEFAULT_SALT : c.hashSalt)
        .getBytes(StandardCharsets.UTF_8);
    this.threshold = threshold(c.samplingPercentage / 100);
    this.never = c.samplingPercentage <= 0;
  }

  /** {@code ratio} of 2^64 - 1, as an unsigned long. */
  static long threshold(double ratio) {
    if (ratio >= 1) {
      return -1L;
    }
    if (ratio <= 0) {
      return 0;
    }
    BigInteger max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    return new BigDecimal(max).multiply(BigDecimal.valueOf(ratio)).toBigInteger().longValue();
  }

  static long hash(byte[] salt, byte[] traceId) {
    long h = FNV_OFFSET;
    for (byte b : salt) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    for (byte b : traceId) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return h;
  }

  @Override
  public Decision evaluate(BufferedTrace trace) {
    if (never) {
      return Decision.NOT_SAMPLED;
    }
    long h = hash(salt, trace.traceId().toByteArray());
    return Long.compareUnsigned(h, threshold) <= 0 ? Decision.SAMPLED : Decision.NOT_SAMPLED;
  }
}
