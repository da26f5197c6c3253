package io.vigil.receiver.fluentforward.internal;

/** A frame that is msgpack but not a forward-protocol message; {@code reason} labels metrics. */
public final class MalformedFrameException extends Exception {

  private final String reason;

  public MalformedFrameException(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
