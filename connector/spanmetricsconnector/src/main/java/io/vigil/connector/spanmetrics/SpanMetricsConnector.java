package io.vigil.connector.spanmetrics;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Consumer;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Connector;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Spans in, RED metrics out. Every span adds one call and its duration to the series of its
 * (resource, service.name, span.name, span.kind, status.code, dimensions); every
 * {@code metrics_flush_interval} the series are emitted as {@code <namespace>.calls} (a
 * monotonic sum) and {@code <namespace>.duration} (an explicit-bucket histogram), each point
 * carrying exemplars of recent spans so a latency bucket links to a trace.
 *
 * <p>Taking a batch only updates counters, so it completes at once; the emitted batch goes
 * downstream from the flush thread.
 */
final class SpanMetricsConnector implements Connector<ExportTraceServiceRequest> {

  private final SpanMetricsConfig config;
  private final Consumer<ExportMetricsServiceRequest> next;
  private final Clock clock;
  private final Logger log;
  private final double[] bounds;
  private final double nanosPerUnit;
  private final boolean delta;
  /** Per resource, per data point attributes; guarded by this. */
  private final Map<Resource, Map<List<KeyValue>, SpanSeries>> series = new LinkedHashMap<>();
  private ScheduledExecutorService flusher;

  SpanMetricsConnector(ComponentSettings settings, SpanMetricsConfig config,
      Consumer<ExportMetricsServiceRequest> next, Clock clock) {
    this.config = config;
    this.next = next;
    this.clock = clock;
    this.log = settings.logger(SpanMetricsConnector.class);
    this.nanosPerUnit = config.histogram.unit.equals("s") ? 1e9 : 1e6;
    this.bounds = config.histogram.explicit.buckets.stream()
        .mapToDouble(d -> d.toNanos() / nanosPerUnit).sorted().toArray();
    this.delta = config.aggregationTemporality.equals("AGGREGATION_TEMPORALITY_DELTA");
  }

  @Override
  public CompletableFuture<Void> consume(ExportTraceServiceRequest batch) {
    long now = nanos(clock.instant());
    synchronized (this) {
      for (ResourceSpans rs : batch.getResourceSpansList()) {
        Map<List<KeyValue>, SpanSeries> byKey =
            series.computeIfAbsent(rs.getResource(), r -> new LinkedHashMap<>());
        String service = stringAttribute(rs.getResource().getAttributesList(),
            SpanMetricNames.SERVICE_NAME);
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            List<KeyValue> key = attributes(service, span, rs.getResource());
            double duration =
                Math.max(0, span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / nanosPerUnit;
            byKey.computeIfAbsent(key, k -> new SpanSeries(bounds.length, now))
                .record(bounds, duration, exemplar(span, duration), maxExemplars());
          }
        }
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  private int maxExemplars() {
    return config.exemplars.enabled ? config.exemplars.maxPerDataPoint : 0;
  }

  private static Exemplar exemplar(Span span, double duration) {
    return Exemplar.newBuilder()
        .setTraceId(span.getTraceId())
        .setSpanId(span.getSpanId())
        .setAsDouble(duration)
        .setTimeUnixNano(span.getEndTimeUnixNano())
        .build();
  }

  private List<KeyValue> attributes(String service, Span span, Resource resource) {
    List<KeyValue> out = new ArrayList<>(4 + config.dimensions.size());
    out.add(kv(SpanMetricNames.SERVICE_NAME, service == null ? "unknown_service" : service));
    out.add(kv(SpanMetricNames.SPAN_NAME, span.getName()));
    out.add(kv(SpanMetricNames.SPAN_KIND, span.getKind().name()));
    out.add(kv(SpanMetricNames.STATUS_CODE, span.getStatus().getCode().name()));
    for (SpanMetricsConfig.Dimension d : config.dimensions) {
      AnyValue v = find(span.getAttributesList(), d.name);
      if (v == null) {
        v = find(resource.getAttributesList(), d.name);
      }
      if (v == null && d.defaultValue != null) {
        v = AnyValue.newBuilder().setStringValue(d.defaultValue).build();
      }
      if (v != null) {
        out.add(KeyValue.newBuilder().setKey(d.name).setValue(v).build());
      }
    }
    return List.copyOf(out);
  }

  private static AnyValue find(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    return null;
  }

  private static String stringAttribute(List<KeyValue> attributes, String key) {
    AnyValue v = find(attributes, key);
    return v == null ? null : v.getStringValue();
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** Builds the metrics of every series as of now; null when there is nothing to emit. */
  synchronized ExportMetricsServiceRequest collect() {
    long now = nanos(clock.instant());
    AggregationTemporality temporality = delta
        ? AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
        : AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    ExportMetricsServiceRequest.Builder req = ExportMetricsServiceRequest.newBuilder();
    for (Map.Entry<Resource, Map<List<KeyValue>, SpanSeries>> r : series.entrySet()) {
      Sum.Builder calls = Sum.newBuilder().setIsMonotonic(true)
          .setAggregationTemporality(temporality);
      Histogram.Builder durations = Histogram.newBuilder().setAggregationTemporality(temporality);
      for (Map.Entry<List<KeyValue>, SpanSeries> e : r.getValue().entrySet()) {
        SpanSeries s = e.getValue();
        if (delta && s.calls == 0) {
          continue;
        }
        calls.addDataPoints(NumberDataPoint.newBuilder()
            .addAllAttributes(e.getKey())
            .setStartTimeUnixNano(s.startNanos).setTimeUnixNano(now)
            .setAsInt(s.calls)
            .addAllExemplars(s.exemplars));
        HistogramDataPoint.Builder h = HistogramDataPoint.newBuilder()
            .addAllAttributes(e.getKey())
            .setStartTimeUnixNano(s.startNanos).setTimeUnixNano(now)
            .setCount(s.calls).setSum(s.durationSum)
            .addAllExemplars(s.exemplars);
        for (double b : bounds) {
          h.addExplicitBounds(b);
        }
        for (long c : s.bucketCounts) {
          h.addBucketCounts(c);
        }
        durations.addDataPoints(h);
        s.exemplars.clear();
        if (delta) {
          s.reset(now);
        }
      }
      if (calls.getDataPointsCount() == 0) {
        continue;
      }
      req.addResourceMetrics(ResourceMetrics.newBuilder()
          .setResource(r.getKey())
          .addScopeMetrics(ScopeMetrics.newBuilder()
              .setScope(InstrumentationScope.newBuilder().setName(SpanMetricNames.SCOPE))
              .addMetrics(Metric.newBuilder()
                  .setName(SpanMetricNames.name(config.namespace, SpanMetricNames.CALLS))
                  .setSum(calls))
              .addMetrics(Metric.newBuilder()
                  .setName(SpanMetricNames.name(config.namespace, SpanMetricNames.DURATION))
                  .setUnit(config.histogram.unit)
                  .setHistogram(durations))));
    }
    return req.getResourceMetricsCount() == 0 ? null : req.build();
  }

  /** Emits the current metrics downstream; a refusal is logged, the counts stay. */
  void flush() {
    ExportMetricsServiceRequest batch = collect();
    if (batch == null) {
      return;
    }
    try {
      next.consume(batch).whenComplete((v, err) -> {
        if (err != null) {
          log.warn("Span metrics were refused by the metrics pipeline: {}", err.getMessage());
        }
      });
    } catch (RuntimeException e) {
      log.warn("Span metrics could not be handed to the metrics pipeline", e);
    }
  }

  @Override
  public void start() {
    flusher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-spanmetrics-flush");
      t.setDaemon(true);
      return t;
    });
    long every = config.metricsFlushInterval.toNanos();
    flusher.scheduleAtFixedRate(this::flushSafely, every, every, TimeUnit.NANOSECONDS);
  }

  private void flushSafely() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("Span metrics flush failed", e);
    }
  }

  @Override
  public void shutdown(Instant deadline) {
    if (flusher != null) {
      flusher.shutdownNow();
    }
    // What was counted since the last flush still goes out.
    flush();
  }
}
