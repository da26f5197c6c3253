package io.vigil.exporter.exporterhelper;

import com.google.protobuf.Message;
import io.vigil.core.Signal;
import io.vigil.exporter.exporterhelper.SendingQueue.Queued;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code sending_queue::batch} for the in-memory queue: gathers queued batches until they hold
 * {@code min_size} (or the next would pass {@code max_size}), or {@code flush_timeout} passed
 * since the first was gathered, and hands them out together. Gathered batches have left the
 * queue, so what is gathered is bounded by max_size (or min_size plus one batch).
 */
final class BatchGatherer<T extends Message> {

  private final Signal<T> signal;
  private final BatchSettings settings;
  private final SendingQueue<T> queue;
  private final ScheduledExecutorService timer;
  /** Called when the flush timeout passed: the caller's dispatch, which then takes. */
  private final Runnable onDue;

  // Guarded by this.
  private final List<Queued<T>> gathered = new ArrayList<>();
  private long gatheredSize;
  private long firstNanos;
  private ScheduledFuture<?> flush;
  /** Set at shutdown: whatever is gathered goes at once instead of after the flush timeout. */
  private volatile boolean draining;

  BatchGatherer(Signal<T> signal, BatchSettings settings, SendingQueue<T> queue,
      ScheduledExecutorService timer, Runnable onDue) {
    this.signal = signal;
    this.settings = settings;
    this.queue = queue;
    this.timer = timer;
    this.onDue = onDue;
  }

  /** A batch in the unit of batch::sizer. */
  private long sizeOf(T batch) {
    return settings.countsBytes() ? batch.getSerializedSize() : signal.itemCount(batch);
  }

  /**
   * Moves queued batches into the gathering; returns them when full or due (and starts over),
   * null when the gathering should wait for more. Serialized: the only taker of the queue.
   */
  synchronized List<Queued<T>> take() {
    boolean full = false;
    for (Queued<T> head; (head = queue.peekEntry()) != null; ) {
      long n = sizeOf(head.batch());
      if (!gathered.isEmpty() && settings.maxSize > 0 && gatheredSize + n > settings.maxSize) {
        full = true;
        break;
      }
      if (gathered.isEmpty()) {
        firstNanos = System.nanoTime();
      }
      gathered.add(queue.pollEntry());
      gatheredSize += n;
      if (gatheredSize >= settings.minSize) {
        full = true;
        break;
      }
    }
    if (gathered.isEmpty()) {
      return null;
    }
    if (full || isDue()) {
      return takeAll();
    }
    if (flush == null) {
      long wait = firstNanos + settings.flushTimeout.toNanos() - System.nanoTime();
      try {
        flush = timer.schedule(this::fire, Math.max(0, wait), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        return takeAll(); // shutting down: no timer, send what there is
      }
    }
    return null;
  }

  private void fire() {
    synchronized (this) {
      flush = null;
    }
    onDue.run();
  }

  private boolean isDue() {
    return draining || System.nanoTime() - firstNanos >= settings.flushTimeout.toNanos();
  }

  /** From now on a gathering is due at once (shutdown drains without waiting the timeout). */
  void drainNow() {
    draining = true;
  }

  /** Whether a take would return the gathering now (the flush timeout passed). */
  synchronized boolean due() {
    return !gathered.isEmpty() && isDue();
  }

  synchronized boolean isEmpty() {
    return gathered.isEmpty();
  }

  /** What is gathered, in the queue's sizer unit (counted in the queue size). */
  synchronized long queuedSize() {
    long n = 0;
    for (Queued<T> q : gathered) {
      n += q.size();
    }
    return n;
  }

  /** Empties the gathering (at the shutdown deadline or when full). */
  synchronized List<Queued<T>> takeAll() {
    List<Queued<T>> out = List.copyOf(gathered);
    gathered.clear();
    gatheredSize = 0;
    if (flush != null) {
      flush.cancel(false);
      flush = null;
    }
    return out;
  }
}
