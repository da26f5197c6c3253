package io.vigil.processor.memorylimiter;

import com.google.protobuf.Message;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.component.Processor;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Refuses data, with a retryable THROTTLED error, while heap in use is above the soft limit, so
 * clients back off before the heap is in danger. Garbage counts as "in use" until the JVM
 * collects it, so above the soft limit the limiter asks for a GC (at most once per check
 * interval) before deciding: it refuses for live data, not for garbage.
 */
final class MemoryLimiterProcessor<T extends Message> implements Processor<T>,
    io.vigil.core.EncodedConsumer {

  private final Consumer<T> next;
  private final HeapLimits limits;
  private final Duration interval;
  private final LongSupplier usedBytes;
  private final Runtime runtime;
  private final Logger log;
  private final String name;
  private final long recheckNanos;
  private ScheduledExecutorService timer;
  private volatile boolean refusing;
  private volatile long lastCheckNanos;
  private volatile long lastGcNanos;
  private volatile long lastUsed;

  MemoryLimiterProcessor(String name, MemoryLimiterConfig config, HeapLimits limits,
      LongSupplier usedBytes, Consumer<T> next, Logger log) {
    this.name = name;
    this.next = next;
    this.limits = limits;
    this.interval = config.checkInterval;
    this.usedBytes = usedBytes;
    this.runtime = Runtime.getRuntime();
    this.log = log;
    this.recheckNanos = Math.max(1_000_000L, interval.toNanos() / 10);
    this.lastGcNanos = System.nanoTime() - interval.toNanos();
  }

  @Override
  public void start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-memory-limiter-" + name);
      t.setDaemon(true);
      return t;
    });
    check();
    timer.scheduleAtFixedRate(this::check, interval.toNanos(), interval.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  @Override
  public CompletableFuture<Void> consume(T batch) {
    CompletableFuture<Void> refused = refusal();
    return refused != null ? refused : next.consume(batch);
  }

  /** It does not read the data, so it passes bytes on when the next hop takes them. */
  @Override
  public boolean takesEncoded() {
    return io.vigil.core.EncodedConsumer.of(next) != null;
  }

  @Override
  public CompletableFuture<Void> consumeEncoded(byte[] request, int items) {
    CompletableFuture<Void> refused = refusal();
    return refused != null ? refused
        : ((io.vigil.core.EncodedConsumer) next).consumeEncoded(request, items);
  }

  /** The THROTTLED refusal while above the soft limit, else null. */
  private CompletableFuture<Void> refusal() {
    if (System.nanoTime() - lastCheckNanos > recheckNanos) {
      check();
    }
    if (refusing) {
      return CompletableFuture.failedFuture(ConsumeException.throttled(
          "memory_limiter " + name + ": heap in use " + (lastUsed >> 20) + " MiB is above the"
              + " soft limit " + (limits.softBytes >> 20) + " MiB; retry later",
          interval));
    }
    return null;
  }

  /** Measures heap use and updates the refusing state. */
  synchronized void check() {
    lastCheckNanos = System.nanoTime();
    long used = usedBytes.getAsLong();
    if (used >= limits.softBytes && System.nanoTime() - lastGcNanos >= interval.toNanos()) {
      lastGcNanos = System.nanoTime();
      runtime.gc();
      used = usedBytes.getAsLong();
    }
    lastUsed = used;
    boolean refuse = used >= limits.softBytes;
    if (refuse != refusing) {
      refusing = refuse;
      if (refuse) {
        log.warn("memory_limiter {} is refusing data: heap in use {} MiB is above the soft limit"
            + " {} MiB (hard limit {} MiB). Clients are told to retry; look for a slow exporter"
            + " whose queue is growing, or give the gateway more heap.", name, used >> 20,
            limits.softBytes >> 20, limits.hardBytes >> 20);
      } else {
        log.info("memory_limiter {} accepts data again: heap in use {} MiB is below the soft"
            + " limit {} MiB", name, used >> 20, limits.softBytes >> 20);
      }
    }
  }

  boolean isRefusing() {
    return refusing;
  }

  @Override
  public void shutdown(Instant deadline) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
