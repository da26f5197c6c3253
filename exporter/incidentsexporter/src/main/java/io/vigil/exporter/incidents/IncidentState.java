package io.vigil.exporter.incidents;

import java.util.Locale;

/** Where an incident is in its lifecycle: open → acknowledged → resolved, and reopened. */
public enum IncidentState {
  OPEN, ACKNOWLEDGED, RESOLVED, REOPENED;

  /** Still being worked on: new evidence joins it. */
  public boolean isActive() {
    return this != RESOLVED;
  }

  /** The lower-case name used in JSON, in the store and in the API's {@code state=} filter. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The state named {@code label}; throws IllegalArgumentException listing the valid ones. */
  public static IncidentState of(String label) {
    for (IncidentState s : values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown state \"" + label
        + "\" (one of open, acknowledged, resolved, reopened)");
  }
}
