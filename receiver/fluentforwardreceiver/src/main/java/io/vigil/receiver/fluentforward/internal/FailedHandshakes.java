package io.vigil.receiver.fluentforward.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed handshakes per client address, and the addresses locked out for repeating them: the
 * digests make a guessed password cost a connection, and this caps the guesses to
 * {@code max_failures} per {@code window}, then refuses the address for {@code duration}. A
 * handshake that passes clears its address. Shared by every connection of one receiver.
 *
 * <p>Bounded: at most {@link #MAX_ADDRESSES} addresses are remembered, the least recently seen
 * forgotten first, so a sender of many addresses costs memory up to that bound and no more.
 */
public final class FailedHandshakes {

  static final int MAX_ADDRESSES = 10_000;

  private final int maxFailures;
  private final long windowNanos;
  private final long lockNanos;
  private final LongSupplier nanoTime;
  private final Map<InetAddress, Entry> byAddress =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Entry> eldest) {
          return size() > MAX_ADDRESSES;
        }
      };

  private static final class Entry {
    int failures;
    long firstFailure;
    long lockedUntil;
  }

  /** {@code maxFailures} 0 turns the lock-out off. */
  public FailedHandshakes(int maxFailures, Duration window, Duration duration,
      LongSupplier nanoTime) {
    this.maxFailures = maxFailures;
    this.windowNanos = window.toNanos();
    this.lockNanos = duration.toNanos();
    this.nanoTime = nanoTime;
  }

  public FailedHandshakes(int maxFailures, Duration window, Duration duration) {
    this(maxFailures, window, duration, System::nanoTime);
  }

  /** Whether connections from {@code address} are refused now. */
  public synchronized boolean locked(InetAddress address) {
    if (maxFailures == 0 || address == null) {
      return false;
    }
    Entry e = byAddress.get(address);
    return e != null && e.lockedUntil != 0 && nanoTime.getAsLong() - e.lockedUntil < 0;
  }

  /**
   * Counts a refused handshake from {@code address}; true when it locks the address out (once
   * per lock-out, for the log).
   */
  public synchronized boolean failed(InetAddress address) {
    if (maxFailures == 0 || address == null) {
      return false;
    }
    long now = nanoTime.getAsLong();
    Entry e = byAddress.computeIfAbsent(address, a -> new Entry());
    if (e.failures == 0 || now - e.firstFailure > windowNanos) {
      e.failures = 0;
      e.firstFailure = now;
    }
    e.failures++;
    if (e.failures >= maxFailures) {
      e.failures = 0;
      // Never 0: that means "not locked".
      e.lockedUntil = (now + lockNanos) | 1;
      return true;
    }
    return false;
  }

  /** A handshake from {@code address} passed: its earlier failures no longer count. */
  public synchronized void passed(InetAddress address) {
    if (address != null) {
      byAddress.remove(address);
    }
  }

  synchronized int remembered() {
    return byAddress.size();
  }
}
