package io.vigil.exporter.incidents.response;

/** An approval for an action that does not wait for one (unknown, or already decided). */
public final class NoSuchActionException extends RuntimeException {
  NoSuchActionException(String message) {
    super(message);
  }
}
