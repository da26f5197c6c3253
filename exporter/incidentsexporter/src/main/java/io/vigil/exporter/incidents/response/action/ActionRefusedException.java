package io.vigil.exporter.incidents.response.action;

/**
 * An action that cannot be rendered safely for this incident (a templated Kubernetes name that
 * is not a valid name, a command argument that would read as an option): audited, not run.
 */
public final class ActionRefusedException extends RuntimeException {
  public ActionRefusedException(String message) {
    super(message);
  }
}
