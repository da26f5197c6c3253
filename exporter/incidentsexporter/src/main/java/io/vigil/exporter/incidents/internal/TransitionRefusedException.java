package io.vigil.exporter.incidents.internal;

/** A lifecycle change that the incident's state does not allow, e.g. acknowledging it twice. */
public final class TransitionRefusedException extends RuntimeException {
  public TransitionRefusedException(String message) {
    super(message);
  }
}
