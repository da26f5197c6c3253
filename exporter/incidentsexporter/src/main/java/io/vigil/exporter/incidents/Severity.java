package io.vigil.exporter.incidents;

import java.util.Locale;

/** An incident's severity, from its evidence (the rule is in the module's README). */
public enum Severity {
  LOW, MEDIUM, HIGH, CRITICAL;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Severity of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
