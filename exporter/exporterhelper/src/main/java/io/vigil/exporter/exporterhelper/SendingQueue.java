package io.vigil.exporter.exporterhelper;

import com.google.protobuf.Message;
import io.vigil.core.ConsumeException;
import io.vigil.core.Signal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded queue stage: holds up to {@code queue_size} in the unit {@code sizer} names, and
 * when full either refuses a batch (retryable, so the client hears of the back-pressure) or,
 * with {@code block_on_overflow}, lets the caller wait, oldest first, until room is made.
 * Knows nothing of sending: the stage after it takes batches out with {@link #poll}.
 */
final class SendingQueue<T extends Message> {

  private final Signal<T> signal;
  private final String exporterId;
  private final QueueSizer sizer;
  private final long capacity;
  private final boolean blockOnOverflow;
  /** Unbounded itself: the bound is the capacity in the sizer's unit, kept by reserve(). */
  private final Queue<Queued<T>> batches = new ConcurrentLinkedQueue<>();
  /** What the queue holds, in the sizer's unit. */
  private final AtomicLong held = new AtomicLong();
  /** Callers waiting for room, oldest first; guarded by itself. */
  private final Deque<Waiter<T>> waiting = new ArrayDeque<>();

  /** A caller waiting for room (block_on_overflow). */
  record Waiter<T>(Queued<T> entry, long size, CompletableFuture<Void> admitted) {
    T batch() {
      return entry.batch();
    }
  }

  /**
   * A queued batch, its size in the queue's unit, and, with {@code wait_for_result}, the
   * future its caller waits on until the batch was sent or given up (else null).
   */
  record Queued<T>(T batch, long size, CompletableFuture<Void> result) {}

  SendingQueue(String exporterId, Signal<T> signal, QueueSettings settings) {
    this.exporterId = exporterId;
    this.signal = signal;
    this.sizer = settings.queueSizer();
    this.capacity = settings.queueSize;
    this.blockOnOverflow = settings.blockOnOverflow;
  }

  /**
   * Takes {@code batch} in. The future is complete when it was queued; incomplete while its
   * caller waits for room (block_on_overflow); null when the queue is full and refuses it.
   */
  CompletableFuture<Void> offer(T batch) {
    return offer(batch, null);
  }

  /** {@link #offer(Object)}, with the future to complete once the batch's delivery ended. */
  CompletableFuture<Void> offer(T batch, CompletableFuture<Void> result) {
    long size = sizer.sizeOf(signal, batch);
    Queued<T> entry = new Queued<>(batch, size, result);
    if (blockOnOverflow) {
      synchronized (waiting) {
        // Behind earlier waiters, never past them.
        if (!waiting.isEmpty() || !reserve(size)) {
          Waiter<T> w = new Waiter<>(entry, size, new CompletableFuture<>());
          waiting.add(w);
          return w.admitted();
        }
        batches.add(entry);
      }
      return CompletableFuture.completedFuture(null);
    }
    if (!reserve(size)) {
      return null;
    }
    batches.add(entry);
    return CompletableFuture.completedFuture(null);
  }

  /** Why {@link #offer} refused: what the queue holds against its capacity, what to do. */
  ConsumeException full() {
    String what = sizer == QueueSizer.REQUESTS
        ? "is full (" + sizer.describe(signal, capacity) + ")"
        : "holds " + sizer.describe(signal, held.get()) + ", its queue_size is " + capacity
            + " (sizer: " + sizer.spelling() + ")";
    return ConsumeException.retryable("sending queue of exporter " + exporterId + " " + what
        + ": the destination is slower than the input or down; raise sending_queue::queue_size"
        + " or num_consumers, or fix the destination");
  }

  /**
   * Counts a batch in if the capacity allows; a batch larger than the capacity alone (items or
   * bytes) is still taken into an empty queue, so no batch is refused forever.
   */
  private boolean reserve(long size) {
    while (true) {
      long h = held.get();
      if (h > 0 && h + size > capacity) {
        return false;
      }
      if (held.compareAndSet(h, h + size)) {
        return true;
      }
    }
  }

  /** The oldest batch, or null; the room it leaves goes to waiting callers first. */
  T poll() {
    Queued<T> next = pollEntry();
    return next == null ? null : next.batch();
  }

  /** {@link #poll}, with the batch's size and result future. */
  Queued<T> pollEntry() {
    Queued<T> next = batches.poll();
    if (next != null) {
      held.addAndGet(-next.size());
      admitWaiters();
    }
    return next;
  }

  /** The oldest entry without taking it; only safe while a single thread takes entries. */
  Queued<T> peekEntry() {
    return batches.peek();
  }

  private void admitWaiters() {
    if (!blockOnOverflow) {
      return;
    }
    List<Waiter<T>> admitted = new ArrayList<>();
    synchronized (waiting) {
      while (!waiting.isEmpty() && reserve(waiting.peek().size())) {
        Waiter<T> w = waiting.poll();
        batches.add(w.entry());
        admitted.add(w);
      }
    }
    admitted.forEach(w -> w.admitted().complete(null));
  }

  boolean isEmpty() {
    return batches.isEmpty();
  }

  /** Nothing queued and nobody waiting. */
  boolean isDrained() {
    if (!batches.isEmpty()) {
      return false;
    }
    synchronized (waiting) {
      return waiting.isEmpty();
    }
  }

  /** What the queue holds, in the sizer's unit (the queue_size metric). */
  long size() {
    return held.get();
  }

  long capacity() {
    return capacity;
  }

  /** Empties the queue (at the shutdown deadline); returns what it held. */
  List<Queued<T>> drain() {
    List<Queued<T>> left = new ArrayList<>();
    for (Queued<T> b; (b = batches.poll()) != null; ) {
      left.add(b);
    }
    held.set(0);
    return left;
  }

  /** Removes the callers still waiting (at the shutdown deadline); the caller answers them. */
  List<Waiter<T>> drainWaiting() {
    synchronized (waiting) {
      List<Waiter<T>> left = List.copyOf(waiting);
      waiting.clear();
      return left;
    }
  }
}
