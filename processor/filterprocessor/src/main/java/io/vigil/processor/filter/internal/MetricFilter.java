package io.vigil.processor.filter.internal;

import com.google.protobuf.MessageOrBuilder;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.vigil.core.Signal;
import io.vigil.processor.ottl.RecordContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * Metrics first, then the data points of the metrics kept; a metric whose points are all dropped
 * goes too, as in the Collector. Counts data points, the unit Vigil counts metrics in.
 */
public final class MetricFilter implements RequestFilter<ExportMetricsServiceRequest> {
  private final Conditions metrics;
  private final Conditions points;

  public MetricFilter(Conditions metrics, Conditions points) {
    this.metrics = metrics;
    this.points = points;
  }

  @Override
  public ExportMetricsServiceRequest filter(ExportMetricsServiceRequest request, LongConsumer dropped) {
    if (metrics.isEmpty() && points.isEmpty()) {
      return request;
    }
    RecordContext c = new RecordContext();
    ExportMetricsServiceRequest.Builder out = null;
    long count = 0;
    for (int i = 0; i < request.getResourceMetricsCount(); i++) {
      ResourceMetrics rm = request.getResourceMetrics(i);
      c.resource(rm.getResource());
      List<ScopeMetrics> scopes = new ArrayList<>(rm.getScopeMetricsCount());
      boolean resourceChanged = false;
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        c.scope(sm.getScope());
        List<Metric> kept = null;
        for (int k = 0; k < sm.getMetricsCount(); k++) {
          Metric m = sm.getMetrics(k);
          c.metric(m);
          Metric result = metrics.anyMatch(c) ? null : filterPoints(c, m);
          if (result != m && kept == null) {
            kept = new ArrayList<>(sm.getMetricsList().subList(0, k));
          }
          if (result == null) {
            count += Signal.dataPoints(m);
          } else {
            count += Signal.dataPoints(m) - Signal.dataPoints(result);
            if (kept != null) {
              kept.add(result);
            }
          }
        }
        if (kept == null) {
          scopes.add(sm);
        } else {
          resourceChanged = true;
          if (!kept.isEmpty()) {
            scopes.add(sm.toBuilder().clearMetrics().addAllMetrics(kept).build());
          }
        }
      }
      if (resourceChanged && out == null) {
        out = ExportMetricsServiceRequest.newBuilder()
            .addAllResourceMetrics(request.getResourceMetricsList().subList(0, i));
      }
      if (out != null) {
        if (!resourceChanged) {
          out.addResourceMetrics(rm);
        } else if (!scopes.isEmpty()) {
          out.addResourceMetrics(rm.toBuilder().clearScopeMetrics().addAllScopeMetrics(scopes));
        }
      }
    }
    dropped.accept(count);
    return out == null ? request : out.build();
  }

  /** The metric without the points the conditions match; null when none is left. */
  private Metric filterPoints(RecordContext c, Metric m) {
    if (points.isEmpty()) {
      return m;
    }
    Predicate<MessageOrBuilder> drop = p -> {
      c.dataPoint(p);
      return points.anyMatch(c);
    };
    Metric result = switch (m.getDataCase()) {
      case GAUGE -> {
        var kept = m.getGauge().getDataPointsList().stream().filter(drop.negate()).toList();
        yield kept.size() == m.getGauge().getDataPointsCount() ? m
            : m.toBuilder().setGauge(m.getGauge().toBuilder().clearDataPoints().addAllDataPoints(kept)).build();
      }
      case SUM -> {
        var kept = m.getSum().getDataPointsList().stream().filter(drop.negate()).toList();
        yield kept.size() == m.getSum().getDataPointsCount() ? m
            : m.toBuilder().setSum(m.getSum().toBuilder().clearDataPoints().addAllDataPoints(kept)).build();
      }
      case HISTOGRAM -> {
        var kept = m.getHistogram().getDataPointsList().stream().filter(drop.negate()).toList();
        yield kept.size() == m.getHistogram().getDataPointsCount() ? m
            : m.toBuilder().setHistogram(m.getHistogram().toBuilder().clearDataPoints().addAllDataPoints(kept))
                .build();
      }
      case EXPONENTIAL_HISTOGRAM -> {
        var kept = m.getExponentialHistogram().getDataPointsList().stream().filter(drop.negate()).toList();
        yield kept.size() == m.getExponentialHistogram().getDataPointsCount() ? m
            : m.toBuilder().setExponentialHistogram(m.getExponentialHistogram().toBuilder().clearDataPoints()
                .addAllDataPoints(kept)).build();
      }
      case SUMMARY -> {
        var kept = m.getSummary().getDataPointsList().stream().filter(drop.negate()).toList();
        yield kept.size() == m.getSummary().getDataPointsCount() ? m
            : m.toBuilder().setSummary(m.getSummary().toBuilder().clearDataPoints().addAllDataPoints(kept)).build();
      }
      default -> m;
    };
    c.dataPoint(null);
    return result != m && Signal.dataPoints(result) == 0 ? null : result;
  }
}
