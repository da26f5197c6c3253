package io.vigil.processor.ottl;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * What a processor does with an {@link OttlEvaluationException}, per its {@code error_mode}:
 * rethrow it (propagate), or count it and go on, logging at most once a second in ignore mode so
 * a condition that fails on every record cannot flood the log.
 */
public final class ErrorHandler {
  private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

  private final ErrorMode mode;
  private final Logger log;
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

  public ErrorHandler(ErrorMode mode, Logger log) {
    this.mode = mode;
    this.log = log;
  }

  public ErrorMode mode() {
    return mode;
  }

  /** Handles {@code e}; returns normally unless the mode is propagate. */
  public void handle(OttlEvaluationException e) {
    if (mode == ErrorMode.PROPAGATE) {
      throw e;
    }
    long n = errors.incrementAndGet();
    if (mode == ErrorMode.IGNORE) {
      long now = System.nanoTime();
      long last = lastLog.get();
      if (now - last >= LOG_INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
        log.warn("OTTL failed on a record and was skipped (error_mode ignore; {} failures so far): {}",
            n, e.getMessage());
      }
    }
  }

  /** Failures handled without propagating, since creation. */
  public long errors() {
    return errors.get();
  }
}
