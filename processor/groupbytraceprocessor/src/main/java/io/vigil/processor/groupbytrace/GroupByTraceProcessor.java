package io.vigil.processor.groupbytrace;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.component.Processor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Holds each trace's spans for {@code wait_duration} after its first span, then sends the trace
 * on as one batch. Unlike the Collector's, which answers the client at once and drops what it
 * holds on a crash, a request here is answered when every trace its spans joined has been
 * accepted downstream: a refusal reaches the client, and a restart loses nothing a client was
 * told is safe. Clients therefore wait up to {@code wait_duration} longer; keep it well below
 * their export timeout. Over {@code num_traces}, the oldest trace is released early rather than
 * dropped.
 */
final class GroupByTraceProcessor implements Processor<ExportTraceServiceRequest> {
  private final Duration wait;
  private final int maxTraces;
  private final Consumer<ExportTraceServiceRequest> next;
  private final Logger log;
  private final String id;
  private final ScheduledExecutorService timers;
  private final Map<ByteString, HeldTrace> held = new LinkedHashMap<>();
  private final AtomicLong evicted = new AtomicLong();
  private boolean stopped;

  GroupByTraceProcessor(String id, Duration wait, int maxTraces,
      Consumer<ExportTraceServiceRequest> next, Logger log) {
    this.id = id;
    this.wait = wait;
    this.maxTraces = maxTraces;
    this.next = next;
    this.log = log;
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-groupbytrace-" + id);
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public CompletableFuture<Void> consume(ExportTraceServiceRequest request) {
    Set<HeldTrace> joined = new LinkedHashSet<>();
    List<HeldTrace> toRelease = new ArrayList<>();
    synchronized (this) {
      if (stopped) {
        return CompletableFuture.failedFuture(ConsumeException.retryable(
            "groupbytrace " + id + " is shutting down"));
      }
      for (ResourceSpans rs : request.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          HeldTrace.Origin origin = new HeldTrace.Origin(rs.getResource(), rs.getSchemaUrl(),
              ss.getScope(), ss.getSchemaUrl());
          for (Span span : ss.getSpansList()) {
            HeldTrace t = held.get(span.getTraceId());
            if (t == null) {
              t = new HeldTrace();
              held.put(span.getTraceId(), t);
              ByteString traceId = span.getTraceId();
              t.timer = timers.schedule(() -> expire(traceId), wait.toNanos(), TimeUnit.NANOSECONDS);
              if (held.size() > maxTraces) {
                toRelease.add(evictOldest());
              }
            }
            t.add(origin, span);
            joined.add(t);
          }
        }
      }
    }
    toRelease.forEach(this::send);
    if (joined.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.allOf(joined.stream().map(t -> t.released)
        .toArray(CompletableFuture[]::new));
  }

  /** The oldest held trace, removed; called with the lock held. */
  private HeldTrace evictOldest() {
    var it = held.entrySet().iterator();
    HeldTrace oldest = it.next().getValue();
    it.remove();
    oldest.timer.cancel(false);
    long n = evicted.incrementAndGet();
    if (n == 1 || Long.bitCount(n) == 1) {
      log.warn("{}: more than num_traces ({}) traces held; the oldest are released before"
          + " wait_duration ({} so far): raise num_traces or lower wait_duration", id, maxTraces, n);
    }
    return oldest;
  }

  private void expire(ByteString traceId) {
    HeldTrace t;
    synchronized (this) {
      t = held.remove(traceId);
    }
    if (t != null) {
      send(t);
    }
  }

  private void send(HeldTrace t) {
    CompletableFuture<Void> sent;
    try {
      sent = next.consume(t.toRequest());
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((ok, err) -> {
      if (err == null) {
        t.released.complete(null);
      } else {
        t.released.completeExceptionally(err);
      }
    });
  }

  /** Traces released early because more than {@code num_traces} were held. */
  long evicted() {
    return evicted.get();
  }

  synchronized int heldTraces() {
    return held.size();
  }

  @Override
  public void shutdown(Instant deadline) {
    List<HeldTrace> rest;
    synchronized (this) {
      stopped = true;
      rest = new ArrayList<>(held.values());
      held.clear();
    }
    rest.forEach(t -> t.timer.cancel(false));
    timers.shutdownNow();
    // What is held goes on now rather than waiting out wait_duration: a trace cut short beats
    // one lost.
    rest.forEach(this::send);
    long ms = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
    try {
      CompletableFuture.allOf(rest.stream().map(t -> t.released).toArray(CompletableFuture[]::new))
          .get(ms, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      long unanswered = rest.stream().filter(t -> !t.released.isDone()).count();
      if (unanswered > 0) {
        log.warn("{}: {} traces not accepted downstream by the shutdown deadline", id, unanswered);
      }
    }
  }
}
