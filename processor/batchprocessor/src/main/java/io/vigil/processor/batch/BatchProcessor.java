package io.vigil.processor.batch;

import com.google.protobuf.Message;
import io.vigil.core.ConsumeException;
import io.vigil.core.RequestSplitter;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.Processor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Collects requests into batches of {@code send_batch_size} items or {@code timeout} age,
 * splits at {@code send_batch_max_size}, and sends downstream.
 *
 * <p>Unlike the collector's batch processor, a request's future completes only when the batch
 * carrying it was accepted downstream, so a full exporter queue reaches the client as a
 * retryable error instead of being dropped here.
 */
final class BatchProcessor<T extends Message> implements Processor<T> {

  /** Requests gathered since the last flush, and the futures of their senders. */
  private final class Pending {
    final List<T> parts = new ArrayList<>();
    final List<CompletableFuture<Void>> waiters = new ArrayList<>();
    int items;
  }

  private final Signal<T> signal;
  private final BatchConfig config;
  private final Consumer<T> next;
  private final ScheduledExecutorService timer;
  private final List<CompletableFuture<Void>> inFlight = new ArrayList<>();
  private Pending pending = new Pending();
  private long generation;
  private boolean stopped;

  BatchProcessor(Signal<T> signal, BatchConfig config, Consumer<T> next, String name) {
    this.signal = signal;
    this.config = config;
    this.next = next;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-batch-" + name + "-" + signal.name());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public CompletableFuture<Void> consume(T batch) {
    int items = signal.itemCount(batch);
    CompletableFuture<Void> done = new CompletableFuture<>();
    Pending full = null;
    synchronized (this) {
      if (stopped) {
        return CompletableFuture.failedFuture(
            ConsumeException.retryable("batch processor is shutting down"));
      }
      if (pending.items == 0 && !config.timeout.isZero()) {
        long gen = generation;
        timer.schedule(() -> flushIfStill(gen), config.timeout.toNanos(), TimeUnit.NANOSECONDS);
      }
      pending.parts.add(batch);
      pending.waiters.add(done);
      pending.items += items;
      if (pending.items >= config.sendBatchSize || config.timeout.isZero()) {
        full = takePending();
      }
    }
    if (full != null) {
      send(full);
    }
    return done;
  }

  private void flushIfStill(long gen) {
    Pending p;
    synchronized (this) {
      if (gen != generation || pending.parts.isEmpty()) {
        return;
      }
      p = takePending();
    }
    send(p);
  }

  /** Must hold the lock. */
  private Pending takePending() {
    Pending p = pending;
    pending = new Pending();
    generation++;
    return p;
  }

  private void send(Pending p) {
    T merged = RequestSplitter.merge(signal, p.parts);
    List<T> pieces = RequestSplitter.split(signal, merged, config.sendBatchMaxSize);
    CompletableFuture<?>[] results = new CompletableFuture<?>[pieces.size()];
    for (int i = 0; i < results.length; i++) {
      CompletableFuture<Void> r;
      try {
        r = next.consume(pieces.get(i));
      } catch (RuntimeException e) {
        r = CompletableFuture.failedFuture(e);
      }
      results[i] = r;
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(results);
    synchronized (inFlight) {
      inFlight.add(all);
    }
    all.whenComplete((ok, err) -> {
      synchronized (inFlight) {
        inFlight.remove(all);
      }
      for (CompletableFuture<Void> w : p.waiters) {
        if (err == null) {
          w.complete(null);
        } else {
          w.completeExceptionally(ConsumeException.from(err));
        }
      }
    });
  }

  @Override
  public void shutdown(Instant deadline) {
    Pending last;
    synchronized (this) {
      stopped = true;
      last = pending.parts.isEmpty() ? null : takePending();
    }
    if (last != null) {
      send(last);
    }
    CompletableFuture<?>[] waiting;
    synchronized (inFlight) {
      waiting = inFlight.toArray(new CompletableFuture<?>[0]);
    }
    try {
      CompletableFuture.allOf(waiting).get(
          Math.max(0, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      // Refusals were reported to the senders; a timeout leaves them to the exporters' accounting.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timer.shutdownNow();
  }
}
