package io.vigil.exporter.exporterhelper;

import io.vigil.core.config.GoDuration;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Makes a destination's outage visible without a line per batch: the first retryable failure
 * is logged at WARN with the destination's answer, a reminder at most every
 * {@link #REMINDER} while it lasts, and the recovery at INFO with how long it lasted. Every
 * failed attempt is still counted (vigil_exporter_send_retries_total).
 */
final class OutageLog {

  static final Duration REMINDER = Duration.ofMinutes(5);

  private final Logger log;
  private final String exporterId;
  private final String signal;
  /** 0 while the destination answers; otherwise System.nanoTime() of the outage's start. */
  private volatile long downSince;
  private long lastWarn;
  private final AtomicLong failures = new AtomicLong();

  OutageLog(Logger log, String exporterId, String signal) {
    this.log = log;
    this.exporterId = exporterId;
    this.signal = signal;
  }

  void failed(ExportFailure failure) {
    long n = failures.incrementAndGet();
    long now = System.nanoTime();
    synchronized (this) {
      if (downSince == 0) {
        downSince = now;
        lastWarn = now;
        log.warn("Exporter {} cannot deliver {}: {}; retrying with backoff, queued data is kept"
            + " (logged again at recovery or every {}; each attempt counts in"
            + " vigil_exporter_send_retries_total)", exporterId, signal, failure.getMessage(),
            GoDuration.format(REMINDER));
      } else if (now - lastWarn >= REMINDER.toNanos()) {
        lastWarn = now;
        log.warn("Exporter {} still cannot deliver {} after {} ({} failed attempts): {}",
            exporterId, signal, GoDuration.format(Duration.ofNanos(now - downSince)), n,
            failure.getMessage());
      }
    }
  }

  void succeeded() {
    if (downSince == 0) {
      return; // the usual case, without taking the lock
    }
    long since;
    synchronized (this) {
      since = downSince;
      if (since == 0) {
        return;
      }
      downSince = 0;
    }
    log.info("Exporter {} delivers {} again after {} ({} failed attempts)", exporterId, signal,
        GoDuration.format(Duration.ofNanos(System.nanoTime() - since)), failures.getAndSet(0));
  }

  synchronized boolean down() {
    return downSince != 0;
  }
}
