package io.vigil.core.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as the collector writes them (Go's {@code time.ParseDuration}):
 * {@code 200ms}, {@code 5s}, {@code 1m30s}, {@code 1h}. Configs copied from otelcol keep
 * working.
 */
public final class GoDuration {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException with the accepted form when the text is not a duration
   */
  public static Duration parse(String text) {
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    int pos = 0;
    double nanos = 0;
    while (pos < s.length() && m.find(pos) && m.start() == pos) {
      double v = Double.parseDouble(m.group(1));
      nanos += v * unitNanos(m.group(2));
      pos = m.end();
    }
    if (pos != s.length() || s.isEmpty()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a duration; write e.g. 200ms, 5s, 1m30s or 1h");
    }
    return Duration.ofNanos((long) nanos);
  }

  /** Formats the way Go prints durations, for messages and docs. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toNanos() % 1_000_000_000L != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.getSeconds();
    StringBuilder b = new StringBuilder();
    if (s >= 3600) {
      b.append(s / 3600).append('h');
      s %= 3600;
    }
    if (s >= 60) {
      b.append(s / 60).append('m');
      s %= 60;
    }
    if (s > 0) {
      b.append(s).append('s');
    }
    return b.toString();
  }

  private static double unitNanos(String unit) {
    switch (unit) {
      case "ns":
        return 1;
      case "us":
      case "µs":
        return 1e3;
      case "ms":
        return 1e6;
      case "s":
        return 1e9;
      case "m":
        return 60e9;
      default:
        return 3600e9;
    }
  }
}
