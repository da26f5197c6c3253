package io.vigil.exporter.exporterhelper;

import com.google.protobuf.Message;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.config.GoDuration;
import io.vigil.core.telemetry.GatewayTelemetry.ExporterTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * The consumer in front of one exporter for one signal: a bounded queue drained by up to
 * {@code num_consumers} concurrent deliveries, each attempt limited by {@code timeout}, retryable
 * failures retried with exponential backoff (or the destination's requested delay) until
 * {@code max_elapsed_time}.
 *
 * <p>The queue holds up to {@code queue_size} in the unit {@code sizer} names (batches, items
 * or bytes). {@link #consume} completes once the batch is queued, or fails with a retryable
 * {@link ConsumeException} when the queue is full, so the client hears about the back-pressure;
 * with {@code block_on_overflow} it completes later instead, when room was made for the batch.
 * With the queue disabled it completes when the delivery finished and fails with the
 * delivery's failure. Items given up on are counted with a reason and logged with the
 * destination's message.
 *
 * <p>No thread waits on the destination: attempts are asynchronous, and backoff waits are
 * tasks on a scheduler, so {@link #shutdown} can cut them short at its deadline.
 */
public final class QueuedRetryingSender<T extends Message> implements Consumer<T> {

  private final String exporterId;
  private final Signal<T> signal;
  private final BatchSender<T> sender;
  private final SendingSettings settings;
  private final ExporterTelemetry telemetry;
  private final Logger log;
  /** Null when {@code sending_queue.enabled} is false. */
  private final BlockingQueue<T> queue;
  private final int maxConcurrent;
  /** Deliveries started and not finished; counted before a batch leaves the queue. */
  private final AtomicInteger active = new AtomicInteger();
  private final Set<Delivery> live = ConcurrentHashMap.newKeySet();
  /** Starts attempts off the caller's thread: senders serialize and compress. */
  private final ThreadPoolExecutor attempts;
  private final ScheduledThreadPoolExecutor retries;
  private final Object idle = new Object();
  private volatile boolean accepting = true;
  /** What the queue holds, in the sizer's unit (not counting deliveries in progress). */
  private final java.util.concurrent.atomic.AtomicLong queued =
      new java.util.concurrent.atomic.AtomicLong();
  private final QueueSizer sizer;
  /** Callers waiting for room, oldest first (block_on_overflow); guarded by itself. */
  private final Deque<Waiter<T>> waiting = new ArrayDeque<>();
  private volatile boolean abandoned;

  public QueuedRetryingSender(
      ComponentSettings component,
      Signal<T> signal,
      SendingSettings settings,
      BatchSender<T> sender) {
    this.exporterId = component.id().toString();
    this.signal = signal;
    this.sender = sender;
    this.settings = settings;
    this.telemetry = component.telemetry().exporter(component.id());
    this.log = component.logger(QueuedRetryingSender.class);
    QueueSettings q = settings.sendingQueue;
    this.sizer = q.queueSizer();
    // Unbounded itself: the bound is queue_size in the sizer's unit, kept by reserve().
    this.queue = q.enabled ? new LinkedBlockingQueue<>() : null;
    this.maxConcurrent = q.enabled ? q.numConsumers : Integer.MAX_VALUE;
    String prefix = "vigil-exporter-" + exporterId + "-" + signal.name() + "-";
    int threads = Math.max(1, q.numConsumers);
    this.attempts = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemonThreads(prefix + "send-"));
    this.attempts.allowCoreThreadTimeOut(true);
    this.retries = new ScheduledThreadPoolExecutor(1, daemonThreads(prefix + "retry-"));
    this.retries.setRemoveOnCancelPolicy(true);
    if (queue != null) {
      telemetry.queue(signal, queued::get, () -> q.queueSize);
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Nothing to start: deliveries begin as batches arrive. Kept for the exporters' lifecycle. */
  public void start() {}

  @Override
  public CompletableFuture<Void> consume(T batch) {
    if (!accepting) {
      return CompletableFuture.failedFuture(ConsumeException.retryable(
          "exporter " + exporterId + " is shutting down"));
    }
    if (queue == null) {
      active.incrementAndGet();
      Delivery d = new Delivery(batch, new CompletableFuture<>());
      d.begin();
      return d.caller;
    }
    long size = sizer.sizeOf(signal, batch);
    if (settings.sendingQueue.blockOnOverflow) {
      synchronized (waiting) {
        // Behind earlier waiters, never past them.
        if (!waiting.isEmpty() || !reserve(size)) {
          Waiter<T> w = new Waiter<>(batch, size, new CompletableFuture<>());
          waiting.add(w);
          return w.admitted;
        }
        queue.add(batch);
      }
      dispatch();
      return CompletableFuture.completedFuture(null);
    }
    if (!reserve(size)) {
      telemetry.enqueueFailed(signal, signal.itemCount(batch));
      return CompletableFuture.failedFuture(ConsumeException.retryable(full()));
    }
    queue.add(batch);
    dispatch();
    return CompletableFuture.completedFuture(null);
  }

  private String full() {
    String what = sizer == QueueSizer.REQUESTS
        ? "is full (" + sizer.describe(signal, settings.sendingQueue.queueSize) + ")"
        : "holds " + sizer.describe(signal, queued.get()) + ", its queue_size is "
            + settings.sendingQueue.queueSize + " (sizer: " + sizer.spelling() + ")";
    return "sending queue of exporter " + exporterId + " " + what + ": the destination is"
        + " slower than the input or down; raise sending_queue::queue_size or num_consumers,"
        + " or fix the destination";
  }

  /**
   * Counts a batch into the queue if queue_size allows; a batch larger than queue_size alone
   * (items or bytes) is still taken into an empty queue, so no batch is refused forever.
   */
  private boolean reserve(long size) {
    long max = settings.sendingQueue.queueSize;
    while (true) {
      long held = queued.get();
      if (held > 0 && held + size > max) {
        return false;
      }
      if (queued.compareAndSet(held, held + size)) {
        return true;
      }
    }
  }

  /** A caller waiting for room in the queue (block_on_overflow). */
  private record Waiter<T>(T batch, long size, CompletableFuture<Void> admitted) {}

  /** Moves waiting callers' batches into the queue while they fit, oldest first. */
  private void admitWaiters() {
    if (!settings.sendingQueue.blockOnOverflow) {
      return;
    }
    List<Waiter<T>> admitted = new ArrayList<>();
    synchronized (waiting) {
      while (!waiting.isEmpty() && reserve(waiting.peek().size())) {
        Waiter<T> w = waiting.poll();
        queue.add(w.batch());
        admitted.add(w);
      }
    }
    admitted.forEach(w -> w.admitted().complete(null));
  }

  /** Starts deliveries for queued batches while fewer than num_consumers are running. */
  private void dispatch() {
    while (!abandoned) {
      int running = active.get();
      if (running >= maxConcurrent || queue.isEmpty()) {
        return;
      }
      if (!active.compareAndSet(running, running + 1)) {
        continue;
      }
      T next = queue.poll();
      if (next == null) {
        finished();
        continue;
      }
      queued.addAndGet(-sizer.sizeOf(signal, next));
      admitWaiters();
      new Delivery(next, null).begin();
    }
  }

  private void finished() {
    active.decrementAndGet();
    synchronized (idle) {
      idle.notifyAll();
    }
  }

  private boolean isIdle() {
    // The queue first: a batch leaves it only after its delivery was counted in active.
    return (queue == null || queue.isEmpty()) && active.get() == 0 && nobodyWaiting();
  }

  private boolean nobodyWaiting() {
    synchronized (waiting) {
      return waiting.isEmpty();
    }
  }

  /** One batch on its way: attempts, backoff waits between them, and how it ended. */
  private final class Delivery {
    final T batch;
    final int items;
    /** The consume() future in synchronous mode; null when the batch came from the queue. */
    final CompletableFuture<Void> caller;
    final Backoff backoff = new Backoff(settings.retryOnFailure);
    final long startNanos = System.nanoTime();
    final AtomicBoolean done = new AtomicBoolean();
    volatile ScheduledFuture<?> pendingRetry;
    int attempt;

    Delivery(T batch, CompletableFuture<Void> caller) {
      this.batch = batch;
      this.items = signal.itemCount(batch);
      this.caller = caller;
    }

    void begin() {
      live.add(this);
      submitAttempt();
    }

    private void submitAttempt() {
      try {
        attempts.execute(this::attempt);
      } catch (RejectedExecutionException e) {
        end(null, "shutdown", "gateway shut down before sending");
      }
    }

    private void attempt() {
      if (done.get()) {
        return;
      }
      attempt++;
      CompletableFuture<SendResult> result;
      try {
        result = Objects.requireNonNull(sender.send(batch, settings.timeout),
            "sender returned no future");
      } catch (RuntimeException e) {
        result = CompletableFuture.failedFuture(e);
      } catch (Error e) {
        senderError(e);
        // Rethrown only once the delivery is released: the VM is failing, and the thread's
        // uncaught-exception handler (or whatever watches the process) must hear of it rather
        // than a log line; the executor replaces the dead thread if the VM recovers.
        if (isFatal(e)) {
          throw e;
        }
        return;
      }
      result.orTimeout(settings.timeout.toNanos(), TimeUnit.NANOSECONDS)
          .whenComplete(this::attemptEnded);
    }

    private void attemptEnded(SendResult r, Throwable error) {
      if (done.get()) {
        return;
      }
      if (error == null) {
        delivered(r);
        return;
      }
      if (unwrap(error) instanceof Error e) {
        // Not rethrown even when fatal: this runs as a completion callback on whichever thread
        // completed the sender's future, and what it throws only fails a future nobody reads.
        senderError(e);
        return;
      }
      ExportFailure failure = failure(error);
      if (!failure.isRetryable()) {
        end(failure, "permanent", failure.getMessage());
        return;
      }
      RetrySettings retry = settings.retryOnFailure;
      if (!retry.enabled) {
        end(failure, "retries_exhausted",
            failure.getMessage() + " (retry_on_failure is disabled)");
        return;
      }
      if (abandoned) {
        end(failure, "shutdown", "gateway shut down while retrying after: "
            + failure.getMessage());
        return;
      }
      Duration wait = failure.retryAfter() != null ? failure.retryAfter() : backoff.next();
      Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
      if (!retry.maxElapsedTime.isZero()
          && elapsed.plus(wait).compareTo(retry.maxElapsedTime) > 0) {
        end(failure, "retries_exhausted", failure.getMessage() + " (gave up after " + attempt
            + " attempts in " + GoDuration.format(elapsed) + ")");
        return;
      }
      log.debug("Exporter {} attempt {} for {} {} failed, retrying in {}: {}", exporterId,
          attempt, items, signal.itemName(), GoDuration.format(wait), failure.getMessage());
      try {
        pendingRetry = retries.schedule(this::submitAttempt, wait.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        end(failure, "shutdown", "gateway shut down while retrying after: "
            + failure.getMessage());
      }
    }

    private static Throwable unwrap(Throwable error) {
      return error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
    }

    private ExportFailure failure(Throwable error) {
      Throwable cause = unwrap(error);
      if (cause instanceof ExportFailure f) {
        return f;
      }
      if (cause instanceof TimeoutException) {
        return ExportFailure.retryable(
            "no answer within timeout " + GoDuration.format(settings.timeout), cause);
      }
      return ExportFailure.retryable(String.valueOf(cause), cause);
    }

    private void delivered(SendResult r) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      long rejected = Math.min(items, r.rejectedItems());
      telemetry.sent(signal, items - rejected);
      if (rejected > 0) {
        telemetry.sendFailed(signal, rejected, "rejected");
      }
      if (rejected > 0 || !r.message().isEmpty()) {
        log.warn("Destination of exporter {} rejected {} of {} {}: {}",
            exporterId, rejected, items, signal.itemName(), r.message());
      }
      complete(null);
    }

    /** Drops the batch: counted with the reason and logged once. */
    private void end(ExportFailure failure, String reason, String message) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      telemetry.sendFailed(signal, items, reason);
      log.warn("Exporter {} dropped {} {} ({}): {}", exporterId, items, signal.itemName(),
          reason, message);
      complete(failure == null || failure.isRetryable()
          ? ConsumeException.retryable(message)
          : ConsumeException.permanent(message));
    }

    /**
     * Drops the batch after its sender threw an Error. Like a permanent failure, not retried:
     * an Error is a bug in the sender, in how it handles this batch (a StackOverflowError on a
     * deeply nested payload) or in the installation (NoClassDefFoundError), not the
     * destination's state, so the same batch would fail the same way again, here or resent by
     * the client. Logged at ERROR with the stack trace, which is what it takes to fix it.
     */
    private void senderError(Error e) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      telemetry.sendFailed(signal, items, "sender_error");
      try {
        log.error("Exporter {} dropped {} {} (sender_error): its sender failed with {}",
            exporterId, items, signal.itemName(), e.toString(), e);
      } finally {
        complete(ConsumeException.permanent(
            "exporter " + exporterId + " failed to send the batch: " + e));
      }
    }

    /** At the shutdown deadline: stops waiting or listening, counts the batch as dropped. */
    boolean abandon() {
      if (!done.compareAndSet(false, true)) {
        return false;
      }
      ScheduledFuture<?> retry = pendingRetry;
      if (retry != null) {
        retry.cancel(false);
      }
      telemetry.sendFailed(signal, items, "shutdown");
      complete(ConsumeException.retryable(
          "exporter " + exporterId + " shut down before the destination accepted the batch"));
      return true;
    }

    private void complete(ConsumeException failure) {
      live.remove(this);
      if (caller != null) {
        if (failure == null) {
          caller.complete(null);
        } else {
          caller.completeExceptionally(failure);
        }
      }
      finished();
      if (queue != null) {
        dispatch();
      }
    }
  }

  /**
   * Whether an Error means the VM itself is failing. A StackOverflowError is not: the payload's
   * depth caused it, and once unwound the thread's stack is whole again, so it is dropped with
   * its batch like any other Error from a sender.
   */
  private static boolean isFatal(Error e) {
    return e instanceof VirtualMachineError && !(e instanceof StackOverflowError);
  }

  /**
   * Stops accepting, lets deliveries empty the queue and finish their retries until
   * {@code deadline}, then drops what is left (counted, reason {@code shutdown}).
   */
  public void shutdown(Instant deadline) {
    accepting = false;
    synchronized (idle) {
      while (!isIdle()) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0) {
          break;
        }
        try {
          idle.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    abandoned = true;
    long queuedItems = 0;
    if (queue != null) {
      List<T> left = new ArrayList<>();
      queue.drainTo(left);
      queuedItems = left.stream().mapToLong(signal::itemCount).sum();
      queued.set(0);
      if (queuedItems > 0) {
        telemetry.sendFailed(signal, queuedItems, "shutdown");
      }
    }
    List<Waiter<T>> refused;
    synchronized (waiting) {
      refused = List.copyOf(waiting);
      waiting.clear();
    }
    for (Waiter<T> w : refused) {
      telemetry.enqueueFailed(signal, signal.itemCount(w.batch()));
      w.admitted().completeExceptionally(ConsumeException.retryable(
          "exporter " + exporterId + " shut down before its sending queue had room"));
    }
    long inFlightItems = 0;
    for (Delivery d : List.copyOf(live)) {
      if (d.abandon()) {
        inFlightItems += d.items;
      }
    }
    if (queuedItems + inFlightItems > 0) {
      log.warn("Exporter {} dropped {} {} at the shutdown deadline ({} queued, {} being sent or"
          + " retried): the destination was slow or down; raise --shutdown-timeout to drain"
          + " longer", exporterId, queuedItems + inFlightItems, signal.itemName(), queuedItems,
          inFlightItems);
    }
    retries.shutdownNow();
    attempts.shutdownNow();
  }
}
