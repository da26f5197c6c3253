package io.vigil.exporter.incidents.internal;

import io.vigil.exporter.incidents.IncidentState;

/**
 * Which state changes the lifecycle allows: acknowledge from open or reopened, resolve from any
 * active state, reopen from resolved. The tracker checks them on what it read; a store shared
 * by several replicas checks them again on the version it writes over, since another replica
 * may have moved the incident in between.
 */
final class Transitions {

  private Transitions() {}

  /** Throws {@link TransitionRefusedException} unless {@code from → to} is allowed. */
  static void check(String id, IncidentState from, IncidentState to) {
    switch (to) {
      case ACKNOWLEDGED -> {
        if (from != IncidentState.OPEN && from != IncidentState.REOPENED) {
          throw new TransitionRefusedException("incident " + id + " is " + from.label()
              + "; only an open or reopened incident can be acknowledged");
        }
      }
      case RESOLVED -> {
        if (!from.isActive()) {
          throw new TransitionRefusedException("incident " + id + " is resolved already");
        }
      }
      case REOPENED -> {
        if (from != IncidentState.RESOLVED) {
          throw new TransitionRefusedException("incident " + id + " is " + from.label()
              + "; only a resolved incident can be reopened");
        }
      }
      case OPEN -> throw new TransitionRefusedException("incident " + id
          + " cannot become open again; reopen it");
    }
  }
}
