package io.vigil.testing;

import static io.vigil.testing.TestData.str;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Random;

/**
 * Seeded random metric batches for fuzz tests: every data type (empty ones too), monotonic and
 * not, cumulative and delta, ragged or negative histogram buckets, NaN and infinite values, time
 * stamps near a base and, now and then, 0 or far off; resources without a service name.
 */
public final class RandomMetrics {

  private static final double[] ODD = {Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, -0.0, Double.MAX_VALUE, -1e300, Double.MIN_VALUE};

  private RandomMetrics() {}

  public static ExportMetricsServiceRequest batch(Random r, long baseNanos, String[] services,
      String[] metrics, String[] attributeKeys) {
    ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
    int resources = r.nextInt(4);
    for (int i = 0; i < resources; i++) {
      Resource.Builder res = Resource.newBuilder();
      if (r.nextInt(8) != 0) {
        res.addAttributes(str("service.name", services[r.nextInt(services.length)]));
      }
      ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
      int n = r.nextInt(6);
      for (int m = 0; m < n; m++) {
        scope.addMetrics(metric(r, baseNanos, metrics[r.nextInt(metrics.length)], attributeKeys));
      }
      b.addResourceMetrics(ResourceMetrics.newBuilder().setResource(res).addScopeMetrics(scope));
    }
    return b.build();
  }

  private static Metric metric(Random r, long base, String name, String[] keys) {
    Metric.Builder m = Metric.newBuilder().setName(name);
    int points = r.nextInt(4);
    switch (r.nextInt(5)) {
      case 0 -> {
        Gauge.Builder g = Gauge.newBuilder();
        for (int i = 0; i < points; i++) {
          g.addDataPoints(number(r, base, keys));
        }
        m.setGauge(g);
      }
      case 1 -> {
        Sum.Builder s = Sum.newBuilder().setIsMonotonic(r.nextBoolean())
            .setAggregationTemporality(temporality(r));
        for (int i = 0; i < points; i++) {
          s.addDataPoints(number(r, base, keys));
        }
        m.setSum(s);
      }
      case 2 -> {
        Histogram.Builder h = Histogram.newBuilder().setAggregationTemporality(temporality(r));
        for (int i = 0; i < points; i++) {
          HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder()
              .setTimeUnixNano(time(r, base)).setStartTimeUnixNano(time(r, base))
              .addAllAttributes(attributes(r, keys)).setSum(value(r))
              .setCount(r.nextInt(3) == 0 ? -r.nextInt(5) : r.nextInt(1000));
          int bounds = r.nextInt(5);
          double at = r.nextInt(50) - 10;
          for (int k = 0; k < bounds; k++) {
            at += r.nextInt(3) == 0 ? -1 : r.nextInt(100);
            p.addExplicitBounds(at);
          }
          int counts = r.nextInt(4) == 0 ? r.nextInt(7) : bounds + 1;
          for (int k = 0; k < counts; k++) {
            p.addBucketCounts(r.nextInt(10) == 0 ? -1 : r.nextInt(200));
          }
          h.addDataPoints(p);
        }
        m.setHistogram(h);
      }
      case 3 -> m.setExponentialHistogram(ExponentialHistogram.newBuilder().addDataPoints(
          ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(time(r, base)).setCount(3)));
      default -> {
        // No data at all.
      }
    }
    return m.build();
  }

  private static NumberDataPoint number(Random r, long base, String[] keys) {
    NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setTimeUnixNano(time(r, base))
        .setStartTimeUnixNano(time(r, base)).addAllAttributes(attributes(r, keys));
    if (r.nextBoolean()) {
      p.setAsInt(r.nextInt(5) == 0 ? r.nextLong() : r.nextInt(10_000));
    } else {
      p.setAsDouble(value(r));
    }
    return p.build();
  }

  private static java.util.List<KeyValue> attributes(Random r, String[] keys) {
    java.util.List<KeyValue> out = new java.util.ArrayList<>();
    for (String k : keys) {
      if (r.nextInt(3) == 0) {
        out.add(switch (r.nextInt(4)) {
          case 0 -> str(k, "v" + r.nextInt(3));
          case 1 -> KeyValue.newBuilder().setKey(k)
              .setValue(AnyValue.newBuilder().setIntValue(r.nextInt(3))).build();
          case 2 -> KeyValue.newBuilder().setKey(k).build(); // no value at all
          default -> str(k, "SPAN_KIND_SERVER");
        });
      }
    }
    return out;
  }

  private static double value(Random r) {
    return r.nextInt(10) == 0 ? ODD[r.nextInt(ODD.length)] : r.nextDouble() * 1000;
  }

  private static long time(Random r, long base) {
    return switch (r.nextInt(30)) {
      case 0 -> 0;
      case 1 -> r.nextLong();
      default -> base + (long) (r.nextGaussian() * 60e9);
    };
  }

  private static AggregationTemporality temporality(Random r) {
    AggregationTemporality[] t = AggregationTemporality.values();
    return t[r.nextInt(t.length - 1)]; // the last is UNRECOGNIZED
  }
}
