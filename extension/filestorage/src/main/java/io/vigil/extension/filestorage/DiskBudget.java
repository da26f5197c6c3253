package io.vigil.extension.filestorage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes on disk that the logs sharing one {@code file_storage} may use: segment files plus
 * appends reserved but not yet written. An append reserves its bytes before it is queued, so
 * the writer never runs out of budget half-way and never has to undo a written record.
 */
public final class DiskBudget {

  private final long max;
  private final AtomicLong used = new AtomicLong();

  public DiskBudget(long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("max_disk_bytes must be positive, got " + maxBytes);
    }
    this.max = maxBytes;
  }

  /** A budget no log will reach, for tools and tests that do not exercise it. */
  public static DiskBudget unlimited() {
    return new DiskBudget(Long.MAX_VALUE);
  }

  /** Reserves {@code bytes} or throws without reserving anything. */
  void reserve(long bytes) {
    // Bounded: each failed CAS means another thread changed `used`, which it does finitely often.
    while (true) {
      long u = used.get();
      if (u + bytes > max || u + bytes < 0) {
        throw new DiskBudgetExceededException(bytes, u, max);
      }
      if (used.compareAndSet(u, u + bytes)) {
        return;
      }
    }
  }

  /** Counts bytes already on disk (segments found at open), even past the maximum. */
  void charge(long bytes) {
    used.addAndGet(bytes);
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  public long used() {
    return used.get();
  }

  public long max() {
    return max;
  }
}
