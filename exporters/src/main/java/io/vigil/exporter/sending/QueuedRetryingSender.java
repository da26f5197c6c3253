package io.vigil.exporter.sending;

import com.google.protobuf.Message;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.config.GoDuration;
import io.vigil.core.telemetry.GatewayTelemetry.ExporterTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * The consumer in front of one exporter for one signal: a bounded queue drained by
 * {@code num_consumers} threads, each sending with a per-attempt timeout and retrying
 * retryable failures with exponential backoff until {@code max_elapsed_time}.
 *
 * <p>{@link #consume} completes once the batch is queued, or fails with a retryable
 * {@link ConsumeException} when the queue is full, so the client hears about the back-pressure.
 * With the queue disabled it completes when the send finished. Items given up on are counted
 * with a reason and logged with the destination's message.
 */
public final class QueuedRetryingSender<T extends Message> implements Consumer<T> {

  private final String exporterId;
  private final Signal<T> signal;
  private final BatchSender<T> sender;
  private final SendingSettings settings;
  private final ExporterTelemetry telemetry;
  private final Logger log;
  private final BlockingQueue<T> queue;
  private final ExecutorService workers;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object drained = new Object();
  private volatile boolean accepting = true;
  private volatile Instant abandonAt = Instant.MAX;

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
    this.queue = q.enabled ? new ArrayBlockingQueue<>(q.queueSize) : null;
    String threadName = "vigil-exporter-" + exporterId + "-" + signal.name() + "-";
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, threadName + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    if (queue != null) {
      telemetry.queue(signal, this::queueSize, () -> q.queueSize);
    }
  }

  /** Starts the sending threads. */
  public void start() {
    if (queue != null) {
      for (int i = 0; i < settings.sendingQueue.numConsumers; i++) {
        workers.execute(this::drainLoop);
      }
    }
  }

  private long queueSize() {
    return queue.size();
  }

  @Override
  public CompletableFuture<Void> consume(T batch) {
    if (!accepting) {
      return CompletableFuture.failedFuture(ConsumeException.retryable(
          "exporter " + exporterId + " is shutting down"));
    }
    if (queue == null) {
      return CompletableFuture.runAsync(() -> {
        String failure = sendWithRetry(batch);
        if (failure != null) {
          throw ConsumeException.retryable(failure);
        }
      }, workers);
    }
    if (!queue.offer(batch)) {
      int items = signal.itemCount(batch);
      telemetry.enqueueFailed(signal, items);
      return CompletableFuture.failedFuture(ConsumeException.retryable(
          "sending queue of exporter " + exporterId + " is full ("
              + settings.sendingQueue.queueSize + " batches); the destination is slower than"
              + " the input or down"));
    }
    return CompletableFuture.completedFuture(null);
  }

  private void drainLoop() {
    while (true) {
      T next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      inFlight.incrementAndGet();
      try {
        sendWithRetry(next);
      } finally {
        inFlight.decrementAndGet();
        synchronized (drained) {
          drained.notifyAll();
        }
      }
    }
  }

  /**
   * Sends until accepted, dropped as permanent, out of retries, or abandoned at shutdown.
   *
   * @return null when the batch was delivered, else why it was dropped
   */
  private String sendWithRetry(T batch) {
    int items = signal.itemCount(batch);
    RetrySettings retry = settings.retryOnFailure;
    Backoff backoff = new Backoff(retry);
    long startNanos = System.nanoTime();
    int attempt = 0;
    while (true) {
      attempt++;
      ExportFailure failure;
      try {
        SendResult r = sender.send(batch, settings.timeout)
            .get(settings.timeout.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        long rejected = Math.min(items, r.rejectedItems());
        telemetry.sent(signal, items - rejected);
        if (rejected > 0 || !r.message().isEmpty()) {
          telemetry.sendFailed(signal, rejected, "rejected");
          log.warn("Destination of exporter {} rejected {} of {} {}: {}",
              exporterId, rejected, items, signal.itemName(), r.message());
        }
        return null;
      } catch (ExecutionException e) {
        failure = e.getCause() instanceof ExportFailure
            ? (ExportFailure) e.getCause()
            : ExportFailure.retryable(String.valueOf(e.getCause()), e.getCause());
      } catch (TimeoutException e) {
        failure = ExportFailure.retryable(
            "no answer within timeout " + GoDuration.format(settings.timeout), (Throwable) null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return drop(batch, items, "shutdown", "gateway shut down while sending");
      }
      if (!failure.isRetryable()) {
        return drop(batch, items, "permanent", failure.getMessage());
      }
      if (!retry.enabled) {
        return drop(batch, items, "retries_exhausted",
            failure.getMessage() + " (retry_on_failure is disabled)");
      }
      Duration wait = failure.retryAfter() != null ? failure.retryAfter() : backoff.next();
      Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
      if (!retry.maxElapsedTime.isZero()
          && elapsed.plus(wait).compareTo(retry.maxElapsedTime) > 0) {
        return drop(batch, items, "retries_exhausted", failure.getMessage() + " (gave up after "
            + attempt + " attempts in " + GoDuration.format(elapsed) + ")");
      }
      log.debug("Exporter {} attempt {} failed, retrying in {}: {}",
          exporterId, attempt, wait, failure.getMessage());
      if (!waitUnlessAbandoned(wait)) {
        return drop(batch, items, "shutdown", "gateway shut down while retrying after: "
            + failure.getMessage());
      }
    }
  }

  /** Waits out a backoff; false when shutdown's deadline passes first. */
  private boolean waitUnlessAbandoned(Duration wait) {
    Instant until = Instant.now().plus(wait);
    synchronized (drained) {
      while (true) {
        Instant now = Instant.now();
        if (!now.isBefore(abandonAt)) {
          return false;
        }
        if (!now.isBefore(until)) {
          return true;
        }
        Instant wake = until.isBefore(abandonAt) ? until : abandonAt;
        long millis = Math.max(1, Duration.between(now, wake).toMillis());
        try {
          drained.wait(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  private String drop(T batch, int items, String reason, String message) {
    telemetry.sendFailed(signal, items, reason);
    log.warn("Exporter {} dropped {} {} ({}): {}", exporterId, items, signal.itemName(),
        reason, message);
    return message;
  }

  /**
   * Stops accepting, lets the threads empty the queue until {@code deadline}, then drops what
   * is left (counted, reason {@code shutdown}).
   */
  public void shutdown(Instant deadline) {
    accepting = false;
    if (queue != null) {
      synchronized (drained) {
        while ((queueSize() > 0 || inFlight.get() > 0) && Instant.now().isBefore(deadline)) {
          try {
            drained.wait(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
    }
    abandonAt = Instant.now();
    synchronized (drained) {
      drained.notifyAll();
    }
    if (queue != null) {
      List<T> left = new ArrayList<>();
      queue.drainTo(left);
      int items = left.stream().mapToInt(signal::itemCount).sum();
      if (items > 0) {
        telemetry.sendFailed(signal, items, "shutdown");
        log.warn("Exporter {} dropped {} {} still queued at the shutdown deadline; raise"
            + " --shutdown-timeout to drain longer", exporterId, items, signal.itemName());
      }
    }
    // Idle threads wait in take(); a thread still sending is past the deadline: interrupt both.
    workers.shutdownNow();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
