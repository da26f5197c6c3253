package io.vigil.demo.services.fallback;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The caller's degraded mode, switched by a person or a response rule through
 * {@code /admin/fallback}: while it is on, a call to a dependency that fails is answered from
 * what this service knows locally (a catalogue price, the last stock list) and the work is left
 * to reconcile, instead of failing the request. Off by default, so a fault shows as it is until
 * someone decides to degrade.
 */
@Component
public class Fallback {

  private static final Logger log = LoggerFactory.getLogger(Fallback.class);

  private volatile Instant since;
  private final AtomicLong served = new AtomicLong();

  /** Switches it on; returns when it was (first) switched on. */
  public synchronized Instant on(String by) {
    if (since == null) {
      since = Instant.now();
      log.info("Fallback switched on by {}: failed dependency calls are answered locally", by);
    }
    return since;
  }

  /** True when it was on. */
  public synchronized boolean off() {
    if (since == null) {
      return false;
    }
    since = null;
    log.info("Fallback switched off after serving {} request(s)", served.get());
    return true;
  }

  public boolean isOn() {
    return since != null;
  }

  /** When it was switched on; null when off. */
  public Instant since() {
    return since;
  }

  /** Counts a request answered in degraded mode. */
  public void served() {
    served.incrementAndGet();
  }

  public long servedCount() {
    return served.get();
  }
}
