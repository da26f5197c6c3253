package io.vigil.exporter.exporterhelper;

import io.vigil.core.config.GoDuration;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The timeout stage ({@code timeout}): an attempt not answered in time fails retryably, and
 * whatever an attempt failed with becomes an {@link ExportFailure} the retry stage can judge.
 */
final class AttemptTimeout {

  private final Duration timeout;

  AttemptTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  Duration timeout() {
    return timeout;
  }

  /** {@code attempt}, failed with a TimeoutException if it is not done within the timeout. */
  CompletableFuture<SendResult> limit(CompletableFuture<SendResult> attempt) {
    return attempt.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
  }

  /** The failure as the retry stage sees it; anything but an ExportFailure is retryable. */
  ExportFailure failure(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof ExportFailure f) {
      return f;
    }
    if (cause instanceof TimeoutException) {
      return ExportFailure.retryable(
          "no answer within timeout " + GoDuration.format(timeout), cause);
    }
    return ExportFailure.retryable(String.valueOf(cause), cause);
  }
}
