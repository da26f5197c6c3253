package io.vigil.demo.services.fault;

import java.time.Instant;

/**
 * A fault switched on.
 *
 * @param kind what it does
 * @param value its parameter (a number, or a dependency name)
 * @param since when it was switched on
 * @param until when it switches itself off, or null to last until cleared
 */
public record ActiveFault(FaultKind kind, Object value, Instant since, Instant until) {

  public double number() {
    return ((Number) value).doubleValue();
  }

  boolean expired(Instant now) {
    return until != null && !now.isBefore(until);
  }
}
