package io.vigil.exporter.exporterhelper;

import java.time.Duration;

/**
 * Why one send attempt failed, as the destination said it: retryable (maybe with the delay it
 * asked for) or permanent.
 */
public final class ExportFailure extends Exception {

  private final boolean retryable;
  private final Duration retryAfter;

  private ExportFailure(String message, boolean retryable, Duration retryAfter, Throwable cause) {
    super(message, cause, false, false);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public static ExportFailure retryable(String message, Duration retryAfter) {
    return new ExportFailure(message, true, retryAfter, null);
  }

  public static ExportFailure retryable(String message, Throwable cause) {
    return new ExportFailure(message, true, null, cause);
  }

  public static ExportFailure permanent(String message) {
    return new ExportFailure(message, false, null, null);
  }

  public boolean isRetryable() {
    return retryable;
  }

  /** The delay the destination asked for (gRPC RetryInfo, HTTP Retry-After), or null. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
