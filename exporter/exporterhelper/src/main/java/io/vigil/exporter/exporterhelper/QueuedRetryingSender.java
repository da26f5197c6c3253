package io.vigil.exporter.exporterhelper;

import com.google.protobuf.Message;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.RequestSplitter;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GoDuration;
import io.vigil.core.telemetry.GatewayTelemetry.ExporterTelemetry;
import io.vigil.extension.filestorage.DurableLog;
import io.vigil.extension.filestorage.FileStorageExtension;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * delivery's failure; with {@code wait_for_result} it completes when the delivery ended, too.
 * With {@code sending_queue::batch} a {@link BatchGatherer} merges queued batches before they
 * are delivered, and a request above {@code max_size} is split ({@link MaxSizeSplitter}). Items
 * given up on are counted with a reason and logged with the destination's message.
 *
 * <p>Stages, in the order a batch meets them: {@link SendingQueue} (bound, sizer, overflow),
 * the concurrency limit and delivery lifecycle kept here, {@link AttemptTimeout} (per-attempt
 * timeout and failure classification), {@link RetryPolicy} (retry or drop), and the
 * accounting of what was sent or dropped.
 *
 * <p>No thread waits on the destination: attempts are asynchronous, and backoff waits are
 * tasks on a scheduler, so {@link #shutdown} can cut them short at its deadline.
 */
public final class QueuedRetryingSender<T extends Message> implements Consumer<T>,
    io.vigil.core.EncodedConsumer {

  private final String exporterId;
  private final Signal<T> signal;
  private final BatchSender<T> sender;
  private final SendingSettings settings;
  /** The stages a batch passes after the queue: retry decisions, the per-attempt timeout. */
  private final RetryPolicy retryPolicy;
  private final AttemptTimeout timeout;
  private final ExporterTelemetry telemetry;
  private final Logger log;
  /** Null when {@code sending_queue.enabled} is false. */
  private final SendingQueue<T> queue;
  private final int maxConcurrent;
  /** Deliveries started and not finished; counted before a batch leaves the queue. */
  private final AtomicInteger active = new AtomicInteger();
  private final Set<Delivery> live = ConcurrentHashMap.newKeySet();
  /** Starts attempts off the caller's thread: senders serialize and compress. */
  private final ThreadPoolExecutor attempts;
  private final ScheduledThreadPoolExecutor retries;
  private final Object idle = new Object();
  /** Guards taking a batch for delivery against {@link #withdraw} taking it back. */
  private final Object handOver = new Object();
  private volatile boolean accepting = true;
  private volatile boolean abandoned;
  private final ComponentSettings component;
  private final OutageLog outage;
  /** Sender Errors whose stack trace is logged already: a bug is logged once, then counted. */
  private final Set<String> senderErrorsLogged = ConcurrentHashMap.newKeySet();
  /** What deliveries hold (sending or waiting to retry), in the sizer's unit: queue size. */
  private final AtomicLong deliveringSize = new AtomicLong();
  /** With {@code sending_queue::storage}: the durable queue, made at start. */
  private volatile DurableQueue<T> durable;
  /** With {@code sending_queue::batch} in memory: merges queued batches; else null. */
  private final BatchGatherer<T> gatherer;

  public QueuedRetryingSender(
      ComponentSettings component,
      Signal<T> signal,
      SendingSettings settings,
      BatchSender<T> sender) {
    this.component = component;
    this.exporterId = component.id().toString();
    this.signal = signal;
    this.sender = sender;
    this.settings = settings;
    this.retryPolicy = new RetryPolicy(settings.retryOnFailure);
    this.timeout = new AttemptTimeout(settings.timeout);
    this.telemetry = component.telemetry().exporter(component.id());
    this.log = component.logger(QueuedRetryingSender.class);
    this.outage = new OutageLog(log, exporterId, signal.name());
    QueueSettings q = settings.sendingQueue;
    this.queue = q.enabled ? new SendingQueue<>(exporterId, signal, q) : null;
    this.maxConcurrent = q.enabled ? q.numConsumers : Integer.MAX_VALUE;
    String prefix = "vigil-exporter-" + exporterId + "-" + signal.name() + "-";
    int threads = Math.max(1, q.numConsumers);
    this.attempts = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemonThreads(prefix + "send-"));
    this.attempts.allowCoreThreadTimeOut(true);
    this.retries = new ScheduledThreadPoolExecutor(1, daemonThreads(prefix + "retry-"));
    this.retries.setRemoveOnCancelPolicy(true);
    this.gatherer = queue != null && q.batch != null && q.storage == null
        ? new BatchGatherer<>(signal, q.batch, queue, retries, this::dispatch) : null;
    if (queue != null) {
      // Batches being gathered or retried still count: they are what an outage holds.
      telemetry.queue(signal, () -> queue.size() + deliveringSize.get()
          + (gatherer == null ? 0 : gatherer.queuedSize()), queue::capacity);
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

  /**
   * With {@code sending_queue::storage}: finds the {@code file_storage} extension through the
   * host and opens this exporter's and signal's log, whose unsent requests are sent first.
   * Otherwise nothing to start: deliveries begin as batches arrive.
   *
   * @throws ConfigException at {@code sending_queue::storage} when the extension does not run
   *     or its log cannot be opened
   */
  public void start() {
    QueueSettings q = settings.sendingQueue;
    if (q.storage == null || durable != null) {
      return;
    }
    ComponentId storageId = ComponentId.parse(q.storage);
    FileStorageExtension storage = component.host().requireExtension(
        storageId, FileStorageExtension.class, "sending_queue::storage");
    String client =
        FileStorageExtension.clientName(ComponentKind.EXPORTER, component.id(), signal.name());
    try {
      DurableLog dlog = storage.log(client);
      DurableQueue<T> d = new DurableQueue<>(exporterId, signal, settings, sender, telemetry,
          log, outage, dlog, attempts, retries);
      telemetry.queue(signal, d::size, () -> q.queueSize);
      // Recovery already logged each damaged region; the counters let alerts see them.
      telemetry.queueDamage(signal, () -> dlog.stats().corruptions(),
          () -> dlog.stats().lostRecords());
      d.start();
      durable = d;
    } catch (IOException e) {
      throw new ConfigException("sending_queue::storage", "cannot open the durable queue "
          + client + " on extension " + storageId + ": " + e, e);
    }
  }

  /** A durable queue stores bytes: it takes a request's bytes as the receiver got them. */
  @Override
  public boolean takesEncoded() {
    return accepting && durable != null;
  }

  @Override
  public CompletableFuture<Void> consumeEncoded(byte[] request, int items) {
    DurableQueue<T> onDisk = durable;
    if (!accepting || onDisk == null) {
      return CompletableFuture.failedFuture(ConsumeException.retryable("exporter " + exporterId
          + (accepting ? " has not started its durable sending queue yet"
              : " is shutting down")));
    }
    return onDisk.consumeEncoded(request, items);
  }

  @Override
  public CompletableFuture<Void> consume(T batch) {
    if (!accepting) {
      return CompletableFuture.failedFuture(ConsumeException.retryable(
          "exporter " + exporterId + " is shutting down"));
    }
    DurableQueue<T> onDisk = durable;
    if (onDisk != null) {
      return onDisk.consume(batch);
    }
    if (settings.sendingQueue.storage != null) {
      return CompletableFuture.failedFuture(ConsumeException.retryable(
          "exporter " + exporterId + " has not started its durable sending queue yet"));
    }
    if (queue == null) {
      CompletableFuture<Void> caller = new CompletableFuture<>();
      Delivery d;
      synchronized (handOver) {
        if (abandoned) {
          return CompletableFuture.failedFuture(ConsumeException.retryable(
              "exporter " + exporterId + " is shutting down"));
        }
        active.incrementAndGet();
        d = new Delivery(List.of(new SendingQueue.Queued<>(batch, 0, caller)));
        live.add(d);
      }
      d.begin();
      return caller;
    }
    // wait_for_result: the caller hears when the delivery ended, not when the batch was queued.
    CompletableFuture<Void> result =
        settings.sendingQueue.waitForResult ? new CompletableFuture<>() : null;
    CompletableFuture<Void> queued = queue.offer(batch, result);
    if (queued == null) {
      telemetry.enqueueFailed(signal, signal.itemCount(batch));
      return CompletableFuture.failedFuture(queue.full());
    }
    dispatch();
    return result == null ? queued : queued.thenCompose(admitted -> result);
  }

  /**
   * Starts deliveries for queued batches while fewer than num_consumers are running; with
   * batching, for gatherings that are full or due.
   */
  private void dispatch() {
    while (!abandoned) {
      int running = active.get();
      if (running >= maxConcurrent
          || (queue.isEmpty() && (gatherer == null || !gatherer.due()))) {
        return;
      }
      if (!active.compareAndSet(running, running + 1)) {
        continue;
      }
      List<SendingQueue.Queued<T>> next;
      Delivery started;
      // Taken and registered as live in one step, so withdraw() sees each batch in exactly
      // one of the two places.
      synchronized (handOver) {
        if (abandoned) {
          finished();
          return;
        }
        if (gatherer != null) {
          next = gatherer.take();
        } else {
          SendingQueue.Queued<T> one = queue.pollEntry();
          next = one == null ? null : List.of(one);
        }
        if (next == null) {
          finished();
          if (gatherer != null) {
            return; // gathering until min_size or the flush timer, which dispatches again
          }
          continue;
        }
        started = new Delivery(next);
        deliveringSize.addAndGet(started.size);
        live.add(started);
      }
      started.begin();
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
    return (queue == null || queue.isDrained()) && (gatherer == null || gatherer.isEmpty())
        && active.get() == 0;
  }

  /**
   * One request on its way: attempts, backoff waits between them, and how it ended. The
   * request is one queued batch, or several merged (batching); above batch::max_size it is cut
   * into pieces sent one after the other, each with its own retries.
   */
  private final class Delivery {
    /** What is sent, in order; {@link #piece} is the one being sent. */
    final List<T> pieces;
    final int items;
    /** In the sizer's unit, counted in the queue size while the delivery runs. */
    final long size;
    /** Futures answered when the delivery ended: the callers' (synchronous, wait_for_result). */
    final List<CompletableFuture<Void>> callers = new ArrayList<>();
    final AtomicBoolean done = new AtomicBoolean();
    volatile ScheduledFuture<?> pendingRetry;
    // Per piece; touched by one attempt or callback at a time.
    Backoff backoff = retryPolicy.backoff();
    long startNanos = System.nanoTime();
    int attempt;
    /** Volatile: shutdown reads it from its own thread to count what was not sent. */
    volatile int piece;

    Delivery(List<SendingQueue.Queued<T>> sources) {
      List<T> batches = new ArrayList<>(sources.size());
      long sized = 0;
      for (SendingQueue.Queued<T> q : sources) {
        batches.add(q.batch());
        sized += q.size();
        if (q.result() != null) {
          callers.add(q.result());
        }
      }
      BatchSettings batching = settings.sendingQueue.batch;
      T merged = RequestSplitter.merge(signal, batches);
      this.pieces = batching == null ? List.of(merged)
          : MaxSizeSplitter.split(signal, merged, batching);
      int n = 0;
      for (T p : pieces) {
        n += signal.itemCount(p);
      }
      this.items = n;
      this.size = sized;
    }

    /** Items not yet accepted: those of the current piece and the ones after it. */
    int unsentItems() {
      int n = 0;
      for (int i = piece; i < pieces.size(); i++) {
        n += signal.itemCount(pieces.get(i));
      }
      return n;
    }

    void begin() {
      submitAttempt();
    }

    /** Hands the unsent pieces back (withdraw): ends the delivery without counting a drop. */
    Withdrawn<T> withdraw() {
      if (!done.compareAndSet(false, true)) {
        return null;
      }
      ScheduledFuture<?> retry = pendingRetry;
      if (retry != null) {
        retry.cancel(false);
      }
      live.remove(this);
      deliveringSize.addAndGet(-size);
      finished();
      return new Withdrawn<>(RequestSplitter.merge(signal, pieces.subList(piece, pieces.size())),
          List.copyOf(callers));
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
        result = Objects.requireNonNull(sender.send(pieces.get(piece), settings.timeout),
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
      timeout.limit(result).whenComplete(this::attemptEnded);
    }

    private void attemptEnded(SendResult r, Throwable error) {
      if (done.get()) {
        return;
      }
      if (error == null && r == null) {
        // A sender bug, failed like a sender that returns no future: left alone, the null
        // would throw inside this callback, where nobody sees it, and the delivery would
        // never end (the caller unanswered, the consumer slot held for ever).
        error = new IllegalStateException("sender completed with no result");
      }
      if (error == null) {
        outage.succeeded();
        delivered(r);
        return;
      }
      if (AttemptTimeout.unwrap(error) instanceof Error e) {
        // Not rethrown even when fatal: this runs as a completion callback on whichever thread
        // completed the sender's future, and what it throws only fails a future nobody reads.
        senderError(e);
        return;
      }
      ExportFailure failure = timeout.failure(error);
      RetryPolicy.Decision next = retryPolicy.afterFailure(failure, attempt,
          Duration.ofNanos(System.nanoTime() - startNanos), backoff, abandoned);
      if (!next.retry()) {
        end(failure, next.reason(), next.message());
        return;
      }
      outage.failed(failure);
      telemetry.retried(signal);
      Duration wait = next.delay();
      log.debug("Exporter {} attempt {} for {} {} failed, retrying in {}: {}", exporterId,
          attempt, items, signal.itemName(), GoDuration.format(wait), failure.getMessage());
      try {
        pendingRetry = retries.schedule(this::submitAttempt, wait.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        end(failure, "shutdown", "gateway shut down while retrying after: "
            + failure.getMessage());
      }
    }

    private void delivered(SendResult r) {
      boolean last = piece + 1 >= pieces.size();
      if (last ? !done.compareAndSet(false, true) : done.get()) {
        return;
      }
      int sentItems = signal.itemCount(pieces.get(piece));
      long rejected = Math.min(sentItems, r.rejectedItems());
      telemetry.sent(signal, sentItems - rejected);
      if (rejected > 0) {
        telemetry.sendFailed(signal, rejected, "rejected");
      }
      if (rejected > 0 || !r.message().isEmpty()) {
        log.warn("Destination of exporter {} rejected {} of {} {}: {}",
            exporterId, rejected, sentItems, signal.itemName(), r.message());
      }
      if (!last) {
        piece++;
        attempt = 0;
        startNanos = System.nanoTime();
        backoff = retryPolicy.backoff();
        submitAttempt();
        return;
      }
      complete(null);
    }

    /** Drops the batch: counted with the reason and logged once. */
    private void end(ExportFailure failure, String reason, String message) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      int dropped = unsentItems();
      telemetry.sendFailed(signal, dropped, reason);
      log.warn("Exporter {} dropped {} {} ({}): {}", exporterId, dropped, signal.itemName(),
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
     * the client. Logged at ERROR with the stack trace, which is what it takes to fix it, once per
     * kind of Error: a sender that fails every batch would otherwise log a trace per batch.
     */
    private void senderError(Error e) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      int dropped = unsentItems();
      telemetry.sendFailed(signal, dropped, "sender_error");
      try {
        if (senderErrorsLogged.add(e.getClass().getName())) {
          log.error("Exporter {} dropped {} {} (sender_error): its sender failed with {}; later"
              + " failures of this kind are counted in otelcol_exporter_send_failed_{}"
              + "{reason=\"sender_error\"} and logged at DEBUG", exporterId, dropped,
              signal.itemName(), e.toString(), signal.itemName(), e);
        } else {
          log.debug("Exporter {} dropped {} {} (sender_error): {}", exporterId, dropped,
              signal.itemName(), e.toString());
        }
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
      telemetry.sendFailed(signal, unsentItems(), "shutdown");
      complete(ConsumeException.retryable(
          "exporter " + exporterId + " shut down before the destination accepted the batch"));
      return true;
    }

    private void complete(ConsumeException failure) {
      live.remove(this);
      deliveringSize.addAndGet(-size);
      for (CompletableFuture<Void> caller : callers) {
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
   * A batch {@link #withdraw} gave back, with the futures of the callers waiting on its outcome
   * (none unless {@code wait_for_result} or {@code block_on_overflow} made them wait).
   */
  public record Withdrawn<T>(T batch, List<CompletableFuture<Void>> callers) {}

  /**
   * Stops accepting at once and gives back every batch the destination has not accepted: queued,
   * being gathered, waiting for room, being sent or waiting to retry; nothing of it is counted
   * as dropped or sent, the caller now owns it and answers its callers. For a destination that
   * left (a load-balanced backend removed), whose data must go elsewhere rather than be lost
   * at a shutdown deadline. An attempt already on the wire may still land, so a batch sent
   * elsewhere can arrive twice (at least once, as retries are). A durable queue gives back
   * nothing here: after {@link #shutdown} its log is read back through {@link DurableBacklog}.
   */
  public List<Withdrawn<T>> withdraw() {
    accepting = false;
    if (durable != null || settings.sendingQueue.storage != null) {
      return List.of();
    }
    List<Withdrawn<T>> out = new ArrayList<>();
    synchronized (handOver) {
      if (queue != null) {
        List<SendingQueue.Queued<T>> left = new ArrayList<>(queue.drain());
        if (gatherer != null) {
          left.addAll(gatherer.takeAll());
        }
        for (SendingQueue.Queued<T> q : left) {
          out.add(new Withdrawn<>(q.batch(),
              q.result() == null ? List.of() : List.of(q.result())));
        }
        for (SendingQueue.Waiter<T> w : queue.drainWaiting()) {
          List<CompletableFuture<Void>> callers = new ArrayList<>();
          callers.add(w.admitted());
          if (w.entry().result() != null) {
            callers.add(w.entry().result());
          }
          out.add(new Withdrawn<>(w.entry().batch(), callers));
        }
      }
      for (Delivery d : List.copyOf(live)) {
        Withdrawn<T> w = d.withdraw();
        if (w != null) {
          out.add(w);
        }
      }
      // Only now: the retry policy drops a failed attempt once abandoned is set, so set before
      // the loop above, an attempt failing meanwhile dropped its batch instead of giving it
      // back (QueuedRetryingSenderWithdrawTest, seen under load). Nothing new starts meanwhile:
      // taking a batch needs handOver.
      abandoned = true;
    }
    retries.shutdownNow();
    attempts.shutdownNow();
    return out;
  }

  /**
   * Stops accepting, lets deliveries empty the queue and finish their retries until
   * {@code deadline}, then drops what is left (counted, reason {@code shutdown}).
   */
  public void shutdown(Instant deadline) {
    accepting = false;
    DurableQueue<T> onDisk = durable;
    if (onDisk != null) {
      onDisk.shutdown(deadline);
      retries.shutdownNow();
      attempts.shutdownNow();
      return;
    }
    if (gatherer != null) {
      gatherer.drainNow(); // send what is gathered now, not after flush_timeout
      dispatch();
    }
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
      List<SendingQueue.Queued<T>> left = new ArrayList<>(queue.drain());
      if (gatherer != null) {
        left.addAll(gatherer.takeAll());
      }
      for (SendingQueue.Queued<T> q : left) {
        queuedItems += signal.itemCount(q.batch());
        if (q.result() != null) {
          q.result().completeExceptionally(ConsumeException.retryable("exporter " + exporterId
              + " shut down before sending the batch"));
        }
      }
      if (queuedItems > 0) {
        telemetry.sendFailed(signal, queuedItems, "shutdown");
      }
    }
    List<SendingQueue.Waiter<T>> refused = queue == null ? List.of() : queue.drainWaiting();
    for (SendingQueue.Waiter<T> w : refused) {
      telemetry.enqueueFailed(signal, signal.itemCount(w.batch()));
      w.admitted().completeExceptionally(ConsumeException.retryable(
          "exporter " + exporterId + " shut down before its sending queue had room"));
    }
    long inFlightItems = 0;
    for (Delivery d : List.copyOf(live)) {
      int unsent = d.unsentItems();
      if (d.abandon()) {
        inFlightItems += unsent;
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
