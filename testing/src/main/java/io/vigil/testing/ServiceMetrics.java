package io.vigil.testing;

import static io.vigil.testing.TestData.str;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import java.util.Arrays;
import java.util.List;

/**
 * One service's metrics over time, as the spanmetrics connector and a JVM agent send them:
 * cumulative {@code traces.span.metrics.calls} (server spans, by status code) and
 * {@code traces.span.metrics.duration} (a histogram in ms), and the heap gauges
 * {@code jvm.memory.used} / {@code jvm.memory.limit}. Each {@link #next} call is one export
 * interval; the counters carry on from the previous call, as a real exporter's would.
 */
public final class ServiceMetrics {

  /** The spanmetrics connector's default buckets (ms), shortened. */
  public static final List<Double> BOUNDS = List.of(5d, 10d, 50d, 100d, 500d, 1000d, 5000d);

  private final String service;
  private final long startNanos;
  private long ok;
  private long errors;
  private final long[] buckets = new long[BOUNDS.size() + 1];
  private double latencySum;

  public ServiceMetrics(String service, long startNanos) {
    this.service = service;
    this.startNanos = startNanos;
  }

  /**
   * @param requests server requests in this interval, of which {@code failed} erred
   * @param latencyMs what every request of the interval took
   * @param heapUsed bytes of heap in use at {@code timeNanos}
   */
  public ExportMetricsServiceRequest next(long timeNanos, long requests, long failed,
      double latencyMs, double heapUsed) {
    ok += requests - failed;
    errors += failed;
    int b = 0;
    while (b < BOUNDS.size() && latencyMs > BOUNDS.get(b)) {
      b++;
    }
    buckets[b] += requests;
    latencySum += requests * latencyMs;
    Sum.Builder calls = Sum.newBuilder().setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .addDataPoints(counter(timeNanos, ok, "STATUS_CODE_UNSET"))
        .addDataPoints(counter(timeNanos, errors, "STATUS_CODE_ERROR"));
    HistogramDataPoint.Builder h = HistogramDataPoint.newBuilder()
        .setStartTimeUnixNano(startNanos).setTimeUnixNano(timeNanos)
        .addAttributes(str("span.name", "GET /")).addAttributes(str("span.kind", "SPAN_KIND_SERVER"))
        .addAllExplicitBounds(BOUNDS).setSum(latencySum)
        .setCount(Arrays.stream(buckets).sum());
    Arrays.stream(buckets).forEach(h::addBucketCounts);
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(TestData.resource(service))
        .addScopeMetrics(ScopeMetrics.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("spanmetricsconnector"))
            .addMetrics(Metric.newBuilder().setName("traces.span.metrics.calls").setSum(calls))
            .addMetrics(Metric.newBuilder().setName("traces.span.metrics.duration").setUnit("ms")
                .setHistogram(Histogram.newBuilder().addDataPoints(h).setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE))))
        .addScopeMetrics(ScopeMetrics.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.runtime-telemetry"))
            .addMetrics(gauge("jvm.memory.used", timeNanos, heapUsed))
            .addMetrics(gauge("jvm.memory.limit", timeNanos, 512e6))))
        .build();
  }

  private NumberDataPoint counter(long time, long value, String status) {
    return NumberDataPoint.newBuilder().setStartTimeUnixNano(startNanos).setTimeUnixNano(time)
        .setAsInt(value).addAttributes(str("span.name", "GET /"))
        .addAttributes(str("span.kind", "SPAN_KIND_SERVER"))
        .addAttributes(str("status.code", status)).build();
  }

  private static Metric gauge(String name, long time, double v) {
    return Metric.newBuilder().setName(name).setUnit("By").setGauge(Gauge.newBuilder()
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(time).setAsDouble(v)
            .addAttributes(str("jvm.memory.type", "heap"))
            .addAttributes(str("jvm.memory.pool.name", "G1 Old Gen")))).build();
  }
}
