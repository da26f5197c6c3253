package io.vigil.processor.tailsampling;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.component.Processor;
import io.vigil.pdata.TraceGrouping;
import io.vigil.processor.tailsampling.policy.BufferedTrace;
import io.vigil.processor.tailsampling.policy.Decision;
import io.vigil.processor.tailsampling.policy.NamedPolicy;
import io.vigil.processor.tailsampling.policy.SamplingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Buffers each trace from its first span for {@code decision_wait}, then evaluates every policy
 * on the whole trace and passes the trace on if the combined decision keeps it (see
 * {@link Decision#combine}). As in the Collector, a request is answered once its spans are
 * buffered: the client does not wait out {@code decision_wait}, and what is buffered is lost if
 * the process dies.
 *
 * <p>Memory is bounded by {@code num_traces}: a new trace beyond it drops the oldest undecided
 * trace, counted in {@code otelcol_processor_tail_sampling_sampling_trace_dropped_too_early}
 * (its spans in {@code vigil_processor_tail_sampling_spans_dropped_too_early}) and logged. The
 * decisions (trace IDs only) of recently decided traces are remembered, so a span arriving
 * after its trace was decided follows the decision.
 */
final class TailSamplingProcessor implements Processor<ExportTraceServiceRequest> {

  private final String id;
  private final long waitNanos;
  private final int maxTraces;
  private final boolean sampleOnFirstMatch;
  private final boolean dropPendingOnShutdown;
  private final List<NamedPolicy> policies;
  private final Consumer<ExportTraceServiceRequest> next;
  private final SamplingClock clock;
  private final TailSamplingMetrics metrics;
  private final Logger log;
  private final DecisionCache decided;
  private final LinkedHashMap<ByteString, BufferedTrace> buffer;
  private final ScheduledExecutorService ticker;
  private final Duration tickInterval;
  private final AtomicLong droppedTooEarly = new AtomicLong();
  private final AtomicLong refusedDownstream = new AtomicLong();
  private boolean stopped;

  TailSamplingProcessor(String id, TailSamplingConfig c, List<NamedPolicy> policies,
      Consumer<ExportTraceServiceRequest> next, SamplingClock clock,
      PrometheusRegistry registry, Logger log, boolean tickOnItsOwn) {
    this.id = id;
    this.waitNanos = c.decisionWait.toNanos();
    this.maxTraces = c.numTraces;
    this.sampleOnFirstMatch = c.sampleOnFirstMatch;
    this.dropPendingOnShutdown = c.dropPendingTracesOnShutdown;
    this.policies = List.copyOf(policies);
    this.next = next;
    this.clock = clock;
    this.log = log;
    this.decided = new DecisionCache(
        c.decisionCache.sampledCacheSize > 0 ? c.decisionCache.sampledCacheSize : c.numTraces,
        c.decisionCache.nonSampledCacheSize > 0 ? c.decisionCache.nonSampledCacheSize
            : c.numTraces);
    long expected = (long) c.expectedNewTracesPerSec * Math.max(1, c.decisionWait.toSeconds());
    this.buffer = new LinkedHashMap<>((int) Math.min(maxTraces, Math.max(16, expected)));
    this.metrics = new TailSamplingMetrics(registry, id, this::bufferedTraces);
    long tick = Math.max(Duration.ofMillis(10).toNanos(),
        Math.min(Duration.ofSeconds(1).toNanos(), waitNanos / 4));
    this.tickInterval = Duration.ofNanos(tick);
    this.ticker = tickOnItsOwn ? Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-tail-sampling-" + id);
      t.setDaemon(true);
      return t;
    }) : null;
  }

  @Override
  public void start() {
    if (ticker != null) {
      ticker.scheduleWithFixedDelay(this::tickSafely, tickInterval.toNanos(),
          tickInterval.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public CompletableFuture<Void> consume(ExportTraceServiceRequest request) {
    List<ExportTraceServiceRequest> late = new ArrayList<>();
    synchronized (this) {
      if (stopped) {
        return CompletableFuture.failedFuture(
            ConsumeException.retryable("tail_sampling " + id + " is shutting down"));
      }
      for (Map.Entry<ByteString, ExportTraceServiceRequest> e :
          TraceGrouping.byTraceId(request).entrySet()) {
        BufferedTrace t = buffer.get(e.getKey());
        if (t != null) {
          t.add(e.getValue());
          continue;
        }
        Boolean kept = decided.get(e.getKey());
        if (kept != null) {
          metrics.lateSpans(kept, io.vigil.core.Signal.TRACES.itemCount(e.getValue()));
          if (kept) {
            late.add(e.getValue());
          }
          continue;
        }
        t = new BufferedTrace(e.getKey(), clock.nanoTime());
        t.add(e.getValue());
        buffer.put(e.getKey(), t);
        if (buffer.size() > maxTraces) {
          dropOldest();
        }
      }
    }
    if (late.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    // Late spans of a kept trace go on at once, and the client hears what became of them.
    return next.consume(merge(late));
  }

  /** Drops the oldest buffered trace undecided; called with the lock held. */
  private void dropOldest() {
    Iterator<BufferedTrace> it = buffer.values().iterator();
    BufferedTrace oldest = it.next();
    it.remove();
    metrics.droppedTooEarly(oldest.spanCount());
    long n = droppedTooEarly.incrementAndGet();
    if (n == 1 || Long.bitCount(n) == 1) {
      log.warn("{}: more than num_traces ({}) traces buffered; the oldest are dropped undecided"
          + " ({} so far, see otelcol_processor_tail_sampling_sampling_trace_dropped_too_early):"
          + " raise num_traces or lower decision_wait", id, maxTraces, n);
    }
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.error("{}: deciding traces failed: {}", id, e.toString(), e);
    }
  }

  /** Decides every trace whose {@code decision_wait} is over; returns the downstream answer. */
  CompletableFuture<Void> tick() {
    List<ExportTraceServiceRequest> kept = new ArrayList<>();
    synchronized (this) {
      long now = clock.nanoTime();
      Iterator<BufferedTrace> it = buffer.values().iterator();
      while (it.hasNext()) {
        BufferedTrace t = it.next();
        if (now - t.firstArrivalNanos() < waitNanos) {
          break;
        }
        it.remove();
        decide(t, kept);
      }
    }
    return send(kept);
  }

  /** Evaluates the policies on {@code t}, remembers the decision; called with the lock held. */
  private void decide(BufferedTrace t, List<ExportTraceServiceRequest> kept) {
    List<Decision> decisions = new ArrayList<>(policies.size());
    for (NamedPolicy p : policies) {
      Decision d = p.evaluator().evaluate(t);
      metrics.policyDecision(p.name(), d.samples());
      decisions.add(d);
      if (sampleOnFirstMatch && d == Decision.SAMPLED) {
        break;
      }
    }
    boolean keep = Decision.combine(decisions);
    metrics.finalDecision(keep);
    decided.put(t.traceId(), keep);
    if (keep) {
      kept.add(ExportTraceServiceRequest.newBuilder().addAllResourceSpans(t.parts()).build());
    }
  }

  private CompletableFuture<Void> send(List<ExportTraceServiceRequest> kept) {
    if (kept.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> sent;
    try {
      sent = next.consume(merge(kept));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.whenComplete((ok, err) -> {
      if (err != null) {
        long n = refusedDownstream.incrementAndGet();
        if (n == 1 || Long.bitCount(n) == 1) {
          log.warn("{}: the next component refused sampled traces ({} batches so far; counted in"
              + " otelcol_processor_refused_spans_total of that component): {}", id, n,
              ConsumeException.from(err).getMessage());
        }
      }
    });
  }

  private static ExportTraceServiceRequest merge(List<ExportTraceServiceRequest> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    parts.forEach(p -> b.addAllResourceSpans(p.getResourceSpansList()));
    return b.build();
  }

  synchronized int bufferedTraces() {
    return buffer.size();
  }

  long droppedTooEarly() {
    return droppedTooEarly.get();
  }

  @Override
  public void shutdown(Instant deadline) {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    List<ExportTraceServiceRequest> kept = new ArrayList<>();
    int pending;
    synchronized (this) {
      stopped = true;
      pending = buffer.size();
      if (!dropPendingOnShutdown) {
        // Decided now, on what has arrived: a trace cut short beats one lost.
        buffer.values().forEach(t -> decide(t, kept));
      }
      buffer.clear();
    }
    if (dropPendingOnShutdown && pending > 0) {
      log.info("{}: dropped {} undecided traces at shutdown (drop_pending_traces_on_shutdown)",
          id, pending);
    }
    try {
      send(kept).get(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()),
          TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("{}: sampled traces decided at shutdown were not accepted downstream by the"
          + " deadline: {}", id, e.toString());
    }
    metrics.close();
  }
}
