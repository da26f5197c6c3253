package io.vigil.exporter.incidents.internal;

/** No incident has the ID asked for. */
public final class UnknownIncidentException extends RuntimeException {
  public UnknownIncidentException(String id) {
    super("no incident with id \"" + id + "\"");
  }
}
