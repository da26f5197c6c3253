package io.vigil.processor.attributes.internal;

import io.vigil.core.config.ConfigException;
import java.util.Locale;

/** Severity numbers by the names the log data model gives them (TRACE=1 ... FATAL4=24). */
final class LogSeverity {
  private static final String[] BASES = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};

  private LogSeverity() {}

  static int parse(Object raw, String keyPath) {
    if (raw instanceof Number n) {
      int v = n.intValue();
      if (v < 0 || v > 24 || n.doubleValue() != v) {
        throw new ConfigException(keyPath, "severity number must be an integer from 0 to 24, got " + raw);
      }
      return v;
    }
    if (raw instanceof String s) {
      String u = s.trim().toUpperCase(Locale.ROOT);
      for (int b = 0; b < BASES.length; b++) {
        if (u.startsWith(BASES[b])) {
          String rest = u.substring(BASES[b].length());
          int step = rest.isEmpty() ? 1 : rest.length() == 1 ? rest.charAt(0) - '0' : -1;
          if (step >= 1 && step <= 4) {
            return b * 4 + step;
          }
        }
      }
      throw new ConfigException(keyPath, "unknown severity \"" + s + "\": a number 0-24 or a name"
          + " such as INFO, WARN, ERROR2");
    }
    throw new ConfigException(keyPath, "required: a severity number or name such as INFO");
  }
}
