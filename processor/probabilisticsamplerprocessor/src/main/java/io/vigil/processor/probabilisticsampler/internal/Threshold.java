package io.vigil.processor.probabilisticsampler.internal;

/**
 * A sampling threshold of OpenTelemetry's consistent probability sampling (the W3C trace-state
 * {@code th} value): an item is kept when its 56-bit randomness is at or above the threshold.
 * 0 keeps everything, 2^56 nothing.
 */
public record Threshold(long unsigned) {
  /** 2^56: the number of randomness values. */
  public static final long MAX_ADJUSTED_COUNT = 1L << 56;
  static final int HEX_DIGITS = 14;
  public static final Threshold ALWAYS = new Threshold(0);
  public static final Threshold NEVER = new Threshold(MAX_ADJUSTED_COUNT);
  public static final double MIN_PROBABILITY = 1.0 / MAX_ADJUSTED_COUNT;

  public boolean shouldSample(long randomness) {
    return randomness >= unsigned;
  }

  public double probability() {
    return (double) (MAX_ADJUSTED_COUNT - unsigned) / MAX_ADJUSTED_COUNT;
  }

  /** The th encoding: 14 hex digits, trailing zeros dropped; "0" for always. */
  public String tvalue() {
    if (unsigned == 0) {
      return "0";
    }
    String digits = String.format("%014x", unsigned);
    int end = digits.length();
    while (end > 1 && digits.charAt(end - 1) == '0') {
      end--;
    }
    return digits.substring(0, end);
  }

  /** Parses a th value; null when it is not 1 to 14 hex digits. */
  public static Threshold parse(String tvalue) {
    if (tvalue.isEmpty() || tvalue.length() > HEX_DIGITS || !isHex(tvalue)) {
      return null;
    }
    long v = Long.parseUnsignedLong(tvalue, 16);
    return new Threshold(v << (4 * (HEX_DIGITS - tvalue.length())));
  }

  static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** A probability in [2^-56, 1] as a threshold, exactly. */
  public static Threshold ofProbability(double p) {
    if (!(p >= MIN_PROBABILITY && p <= 1)) {
      return null;
    }
    long scaled = Math.round(p * MAX_ADJUSTED_COUNT);
    return new Threshold(MAX_ADJUSTED_COUNT - scaled);
  }

  /**
   * A probability as a threshold rounded to {@code precision} significant hex digits (leading
   * 0 digits of the rejection probability do not count), as the Collector's
   * {@code ProbabilityToThresholdWithPrecision}; null when out of range or when the precision
   * leaves no digit.
   */
  public static Threshold ofProbability(double p, int precision) {
    if (precision == 0) {
      return ofProbability(p);
    }
    if (!(p >= MIN_PROBABILITY && p <= 1)) {
      return null;
    }
    if (p == 1) {
      return ALWAYS;
    }
    int prec = precision;
    for (double reject = 1 - p; reject * 16 < 1; reject *= 16) {
      prec++;
    }
    if (prec > HEX_DIGITS) {
      return null;
    }
    long scaled = Math.round(p * MAX_ADJUSTED_COUNT);
    long rscaled = MAX_ADJUSTED_COUNT - scaled;
    int shift = 4 * (HEX_DIGITS - prec);
    if (shift > 0) {
      long half = 1L << (shift - 1);
      rscaled += half;
      rscaled >>>= shift;
      rscaled <<= shift;
    }
    return new Threshold(rscaled);
  }
}
