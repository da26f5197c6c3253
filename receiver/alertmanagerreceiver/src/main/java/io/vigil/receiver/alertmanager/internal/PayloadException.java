package io.vigil.receiver.alertmanager.internal;

/** A body that is not a version 4 webhook payload; the message names the field and why. */
public final class PayloadException extends Exception {
  public PayloadException(String message) {
    super(message, null, false, false);
  }
}
