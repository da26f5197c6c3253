package io.vigil.processor.ottl;

import java.util.Locale;

/** The Collector's {@code error_mode}: what a processor does when OTTL fails on a record. */
public enum ErrorMode {
  /** Log the error and go on with the next condition or statement. */
  IGNORE,
  /** Go on without logging. */
  SILENT,
  /** Fail the whole batch back to the sender. */
  PROPAGATE;

  /** The mode named {@code text} (ignore, silent, propagate), or null when there is none. */
  public static ErrorMode parse(String text) {
    if (text == null) {
      return null;
    }
    for (ErrorMode m : values()) {
      if (m.name().toLowerCase(Locale.ROOT).equals(text)) {
        return m;
      }
    }
    return null;
  }
}
