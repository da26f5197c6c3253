package io.vigil.exporter.incidents.internal;

/** The incident store could not read or write; the message says what and why. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
