package io.vigil.exporter.exporterhelper;

import io.vigil.core.config.GoDuration;
import java.time.Duration;

/**
 * The retry stage's rule for one failed attempt ({@code retry_on_failure}): a permanent failure
 * is dropped; a retryable one waits the destination's requested delay or the next backoff,
 * unless retries are off, the gateway is shutting down, or the wait would pass
 * {@code max_elapsed_time}.
 */
final class RetryPolicy {

  /** Retry after {@code delay}, or (delay null) drop, counted under {@code reason}. */
  record Decision(Duration delay, String reason, String message) {
    boolean retry() {
      return delay != null;
    }

    static Decision retryIn(Duration wait) {
      return new Decision(wait, null, null);
    }

    static Decision drop(String reason, String message) {
      return new Decision(null, reason, message);
    }
  }

  private final RetrySettings settings;

  RetryPolicy(RetrySettings settings) {
    this.settings = settings;
  }

  /** A new backoff for one batch's attempts. */
  Backoff backoff() {
    return new Backoff(settings);
  }

  Decision afterFailure(ExportFailure failure, int attempts, Duration elapsed, Backoff backoff,
      boolean shuttingDown) {
    if (!failure.isRetryable()) {
      return Decision.drop("permanent", failure.getMessage());
    }
    if (!settings.enabled) {
      return Decision.drop("retries_exhausted",
          failure.getMessage() + " (retry_on_failure is disabled)");
    }
    if (shuttingDown) {
      return Decision.drop("shutdown",
          "gateway shut down while retrying after: " + failure.getMessage());
    }
    Duration wait = failure.retryAfter() != null ? failure.retryAfter() : backoff.next();
    if (!settings.maxElapsedTime.isZero()
        && elapsed.plus(wait).compareTo(settings.maxElapsedTime) > 0) {
      return Decision.drop("retries_exhausted", failure.getMessage() + " (gave up after "
          + attempts + " attempts in " + GoDuration.format(elapsed) + ")");
    }
    return Decision.retryIn(wait);
  }
}
