package io.vigil.exporter.prometheus;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HexFormat;
import java.util.List;

/** Small builders of OTLP metric requests for the exporter tests. */
final class OtlpMetrics {

  static final long T0 = 1_700_000_000_000_000_000L;
  static final long SECOND = 1_000_000_000L;
  static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  static final String SPAN_ID = "b7ad6b7169203331";

  private OtlpMetrics() {}

  static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  static Resource resource(KeyValue... attributes) {
    return Resource.newBuilder().addAllAttributes(List.of(attributes)).build();
  }

  static Resource checkout() {
    return resource(attr("service.name", "checkout"), attr("service.instance.id", "c-1"),
        attr("host.name", "node-1"));
  }

  static ExportMetricsServiceRequest request(Resource resource, Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(resource)
        .addScopeMetrics(ScopeMetrics.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("test"))
            .addAllMetrics(List.of(metrics)))).build();
  }

  static Exemplar exemplar(double value, long timeNanos) {
    HexFormat hex = HexFormat.of();
    return Exemplar.newBuilder().setAsDouble(value).setTimeUnixNano(timeNanos)
        .setTraceId(ByteString.copyFrom(hex.parseHex(TRACE_ID)))
        .setSpanId(ByteString.copyFrom(hex.parseHex(SPAN_ID))).build();
  }

  static NumberDataPoint point(long start, long time, double value, KeyValue... attributes) {
    return NumberDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(time)
        .setAsDouble(value).addAllAttributes(List.of(attributes)).build();
  }

  static Metric sum(String name, String unit, boolean monotonic, AggregationTemporality t,
      NumberDataPoint... points) {
    return Metric.newBuilder().setName(name).setUnit(unit).setSum(Sum.newBuilder()
        .setIsMonotonic(monotonic).setAggregationTemporality(t)
        .addAllDataPoints(List.of(points))).build();
  }

  static Metric cumulativeCounter(String name, String unit, NumberDataPoint... points) {
    return sum(name, unit, true, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, points);
  }

  static Metric deltaCounter(String name, String unit, NumberDataPoint... points) {
    return sum(name, unit, true, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, points);
  }

  static Metric gauge(String name, String unit, NumberDataPoint... points) {
    return Metric.newBuilder().setName(name).setUnit(unit)
        .setGauge(Gauge.newBuilder().addAllDataPoints(List.of(points))).build();
  }

  static HistogramDataPoint histogramPoint(long start, long time, List<Double> bounds,
      List<Long> counts, double sum, Exemplar... exemplars) {
    return HistogramDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(time)
        .addAllExplicitBounds(bounds).addAllBucketCounts(counts)
        .setCount(counts.stream().mapToLong(Long::longValue).sum()).setSum(sum)
        .addAllExemplars(List.of(exemplars)).build();
  }

  static Metric histogram(String name, String unit, AggregationTemporality t,
      HistogramDataPoint... points) {
    return Metric.newBuilder().setName(name).setUnit(unit).setHistogram(Histogram.newBuilder()
        .setAggregationTemporality(t).addAllDataPoints(List.of(points))).build();
  }
}
