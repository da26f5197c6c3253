package io.vigil.processor.redaction;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** Data point attributes of every metric type. */
final class MetricsRedaction implements UnaryOperator<ExportMetricsServiceRequest> {

  private final Redactor redactor;
  private final RedactionCounts counts;
  private boolean changed;

  MetricsRedaction(Redactor redactor, RedactionCounts counts) {
    this.redactor = redactor;
    this.counts = counts;
  }

  @Override
  public synchronized ExportMetricsServiceRequest apply(ExportMetricsServiceRequest request) {
    ExportMetricsServiceRequest.Builder out = request.toBuilder();
    changed = false;
    for (var rm : out.getResourceMetricsBuilderList()) {
      for (var sm : rm.getScopeMetricsBuilderList()) {
        for (Metric.Builder m : sm.getMetricsBuilderList()) {
          switch (m.getDataCase()) {
            case GAUGE -> m.getGaugeBuilder().getDataPointsBuilderList().forEach(
                p -> redact(p.getAttributesList(), a -> p.clearAttributes().addAllAttributes(a)));
            case SUM -> m.getSumBuilder().getDataPointsBuilderList().forEach(
                p -> redact(p.getAttributesList(), a -> p.clearAttributes().addAllAttributes(a)));
            case HISTOGRAM -> m.getHistogramBuilder().getDataPointsBuilderList().forEach(
                p -> redact(p.getAttributesList(), a -> p.clearAttributes().addAllAttributes(a)));
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogramBuilder()
                .getDataPointsBuilderList().forEach(
                    p -> redact(p.getAttributesList(), a -> p.clearAttributes().addAllAttributes(a)));
            case SUMMARY -> m.getSummaryBuilder().getDataPointsBuilderList().forEach(
                p -> redact(p.getAttributesList(), a -> p.clearAttributes().addAllAttributes(a)));
            default -> { }
          }
        }
      }
    }
    return changed ? out.build() : request;
  }

  private void redact(List<KeyValue> attrs, Function<List<KeyValue>, ?> set) {
    Redactor.Tally t = new Redactor.Tally();
    List<KeyValue> out = redactor.attributes(attrs, t);
    if (out != attrs) {
      set.apply(out);
      changed = true;
    }
    counts.add(t);
  }
}
