package io.vigil.core;

import java.time.Duration;
import java.util.Optional;

/**
 * Why a consumer refused a batch, and whether the sender should try again.
 *
 * <p>Receivers map the kind onto their protocol: {@link Kind#RETRYABLE} becomes gRPC
 * UNAVAILABLE / HTTP 503, {@link Kind#THROTTLED} becomes RESOURCE_EXHAUSTED with RetryInfo /
 * HTTP 429, both with the suggested delay; {@link Kind#PERMANENT} becomes INVALID_ARGUMENT /
 * HTTP 400.
 */
public final class ConsumeException extends RuntimeException {

  /** How the refusal should be treated by whoever sent the data. */
  public enum Kind {
    /** Temporary: a queue is full or a backend is down; send again later. */
    RETRYABLE,
    /** The gateway is protecting itself (memory); send again later, more slowly. */
    THROTTLED,
    /** The data itself is unacceptable; sending it again will not help. */
    PERMANENT
  }

  private final Kind kind;
  private final Duration retryAfter;

  public ConsumeException(Kind kind, String message, Duration retryAfter, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  public static ConsumeException retryable(String message) {
    return new ConsumeException(Kind.RETRYABLE, message, null, null);
  }

  public static ConsumeException throttled(String message, Duration retryAfter) {
    return new ConsumeException(Kind.THROTTLED, message, retryAfter, null);
  }

  public static ConsumeException permanent(String message) {
    return new ConsumeException(Kind.PERMANENT, message, null, null);
  }

  public Kind kind() {
    return kind;
  }

  public boolean isRetryable() {
    return kind != Kind.PERMANENT;
  }

  /** The delay the refusing component suggests before the next attempt, if it has one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * The consume exception behind a failed future's cause, or a retryable one wrapping an
   * unexpected error (an unexpected failure inside the gateway is not the client's fault).
   */
  public static ConsumeException from(Throwable t) {
    Throwable c = t;
    while (c != null) {
      if (c instanceof ConsumeException) {
        return (ConsumeException) c;
      }
      c = c.getCause();
    }
    return new ConsumeException(
        Kind.RETRYABLE, "internal error: " + (t == null ? "unknown" : t), null, t);
  }
}
