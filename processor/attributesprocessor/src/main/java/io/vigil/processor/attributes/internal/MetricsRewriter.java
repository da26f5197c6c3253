package io.vigil.processor.attributes.internal;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.vigil.processor.attraction.AttributeActions;
import static io.vigil.processor.attributes.internal.RequestRewriter.changed;

import java.util.List;

/**
 * The actions on the attributes of every data point of the selected metrics. Like the
 * Collector's, it does not re-aggregate: removing an attribute can leave two points with one
 * identity (the Collector's "identity conflict" warning).
 */
public final class MetricsRewriter implements RequestRewriter<ExportMetricsServiceRequest> {
  private final AttributeActions actions;
  private final ItemSelector selector;

  public MetricsRewriter(AttributeActions actions, ItemSelector selector) {
    this.actions = actions;
    this.selector = selector;
  }

  @Override
  public ExportMetricsServiceRequest rewrite(ExportMetricsServiceRequest request) {
    Edit edit = new Edit(request);
    for (int i = 0; i < request.getResourceMetricsCount(); i++) {
      ResourceMetrics rm = request.getResourceMetrics(i);
      for (int j = 0; j < rm.getScopeMetricsCount(); j++) {
        ScopeMetrics sm = rm.getScopeMetrics(j);
        for (int k = 0; k < sm.getMetricsCount(); k++) {
          Metric m = sm.getMetrics(k);
          if (selector.selectsMetric(rm.getResource(), m)) {
            rewritePoints(m, edit.at(i, j, k));
          }
        }
      }
    }
    return edit.result();
  }

  private void rewritePoints(Metric m, Edit.MetricAt at) {
    switch (m.getDataCase()) {
      case GAUGE -> {
        for (int d = 0; d < m.getGauge().getDataPointsCount(); d++) {
          List<KeyValue> in = m.getGauge().getDataPoints(d).getAttributesList();
          List<KeyValue> out = actions.apply(in);
          if (changed(out, in)) {
            at.metric().getGaugeBuilder().getDataPointsBuilder(d).clearAttributes().addAllAttributes(out);
          }
        }
      }
      case SUM -> {
        for (int d = 0; d < m.getSum().getDataPointsCount(); d++) {
          List<KeyValue> in = m.getSum().getDataPoints(d).getAttributesList();
          List<KeyValue> out = actions.apply(in);
          if (changed(out, in)) {
            at.metric().getSumBuilder().getDataPointsBuilder(d).clearAttributes().addAllAttributes(out);
          }
        }
      }
      case HISTOGRAM -> {
        for (int d = 0; d < m.getHistogram().getDataPointsCount(); d++) {
          List<KeyValue> in = m.getHistogram().getDataPoints(d).getAttributesList();
          List<KeyValue> out = actions.apply(in);
          if (changed(out, in)) {
            at.metric().getHistogramBuilder().getDataPointsBuilder(d).clearAttributes().addAllAttributes(out);
          }
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        for (int d = 0; d < m.getExponentialHistogram().getDataPointsCount(); d++) {
          List<KeyValue> in = m.getExponentialHistogram().getDataPoints(d).getAttributesList();
          List<KeyValue> out = actions.apply(in);
          if (changed(out, in)) {
            at.metric().getExponentialHistogramBuilder().getDataPointsBuilder(d).clearAttributes()
                .addAllAttributes(out);
          }
        }
      }
      case SUMMARY -> {
        for (int d = 0; d < m.getSummary().getDataPointsCount(); d++) {
          List<KeyValue> in = m.getSummary().getDataPoints(d).getAttributesList();
          List<KeyValue> out = actions.apply(in);
          if (changed(out, in)) {
            at.metric().getSummaryBuilder().getDataPointsBuilder(d).clearAttributes().addAllAttributes(out);
          }
        }
      }
      default -> { }
    }
  }

  /** The request's builder, made on the first change only. */
  private static final class Edit {
    private final ExportMetricsServiceRequest request;
    private ExportMetricsServiceRequest.Builder builder;

    Edit(ExportMetricsServiceRequest request) {
      this.request = request;
    }

    MetricAt at(int i, int j, int k) {
      return new MetricAt(i, j, k);
    }

    ExportMetricsServiceRequest result() {
      return builder == null ? request : builder.build();
    }

    /** One metric's position; its builder is asked for only when a point changes. */
    final class MetricAt {
      private final int i;
      private final int j;
      private final int k;

      MetricAt(int i, int j, int k) {
        this.i = i;
        this.j = j;
        this.k = k;
      }

      Metric.Builder metric() {
        if (builder == null) {
          builder = request.toBuilder();
        }
        return builder.getResourceMetricsBuilder(i).getScopeMetricsBuilder(j).getMetricsBuilder(k);
      }
    }
  }
}
