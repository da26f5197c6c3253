package io.vigil.exporter.prometheusremotewrite;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.vigil.exporter.prometheustranslator.PrometheusNames;
import io.vigil.exporter.prometheustranslator.SeriesLabels;
import io.vigil.exporter.prometheusremotewrite.prompb.RemoteWrite.Exemplar;
import io.vigil.exporter.prometheusremotewrite.prompb.RemoteWrite.Label;
import io.vigil.exporter.prometheusremotewrite.prompb.RemoteWrite.MetricMetadata;
import io.vigil.exporter.prometheusremotewrite.prompb.RemoteWrite.Sample;
import io.vigil.exporter.prometheusremotewrite.prompb.RemoteWrite.TimeSeries;
import io.vigil.exporter.prometheusremotewrite.prompb.RemoteWrite.WriteRequest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OTLP metrics as a remote-write request, named as the prometheus exporter names them. Each
 * point becomes samples at the point's own time. Remote write has no running totals, so as in
 * the collector only cumulative sums and histograms are sent; delta ones (and exponential
 * histograms, which would need native histograms) are counted as dropped. A point flagged
 * "no recorded value" becomes Prometheus's stale marker.
 */
final class WriteRequestBuilder {

  /** The NaN Prometheus reads as "this series ended" (value.StaleNaN). */
  static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  private final RemoteWriteExporterConfig config;
  private final SeriesLabels labels;

  WriteRequestBuilder(RemoteWriteExporterConfig config) {
    this.config = config;
    this.labels = new SeriesLabels(config.externalLabels,
        config.resourceToTelemetryConversion.enabled, List.of());
  }

  /** The request, and how many points could not be sent. */
  record Result(WriteRequest request, int dropped) {}

  Result build(ExportMetricsServiceRequest otlp) {
    Map<Map<String, String>, TimeSeries.Builder> series = new LinkedHashMap<>();
    Map<String, MetricMetadata> metadata = new TreeMap<>();
    int dropped = 0;
    for (ResourceMetrics rm : otlp.getResourceMetricsList()) {
      long latestMillis = 0;
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          PrometheusNames.Type type = typeOf(m);
          if (type == null || !sendable(m)) {
            dropped += io.vigil.core.Signal.dataPoints(m);
            continue;
          }
          String family = PrometheusNames.familyName(
              config.namespace, m.getName(), m.getUnit(), type, config.addMetricSuffixes);
          metadata.putIfAbsent(family, MetricMetadata.newBuilder()
              .setType(metadataType(type)).setMetricFamilyName(family)
              .setHelp(m.getDescription()).setUnit(m.getUnit()).build());
          for (NumberDataPoint p : numberPoints(m)) {
            Map<String, String> l = labels.of(rm.getResource(), sm.getScope(), p.getAttributesList());
            double v = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
            TimeSeries.Builder ts = add(series, PrometheusNames.seriesName(family, type), l,
                value(p.getFlags(), v), millis(p.getTimeUnixNano()));
            p.getExemplarsList().forEach(e -> exemplar(e).ifPresent(ts::addExemplars));
            latestMillis = Math.max(latestMillis, millis(p.getTimeUnixNano()));
          }
          if (m.hasHistogram()) {
            for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
              histogram(series, family, labels.of(rm.getResource(), sm.getScope(),
                  p.getAttributesList()), p);
              latestMillis = Math.max(latestMillis, millis(p.getTimeUnixNano()));
            }
          }
          if (m.hasSummary()) {
            for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
              summary(series, family, labels.of(rm.getResource(), sm.getScope(),
                  p.getAttributesList()), p);
              latestMillis = Math.max(latestMillis, millis(p.getTimeUnixNano()));
            }
          }
        }
      }
      Map<String, String> info = SeriesLabels.targetInfo(rm.getResource());
      if (config.targetInfo.enabled && !info.isEmpty() && latestMillis > 0) {
        info.putAll(config.externalLabels);
        add(series, "target_info", info, 1, latestMillis);
      }
    }
    WriteRequest.Builder req = WriteRequest.newBuilder();
    series.values().forEach(req::addTimeseries);
    if (config.sendMetadata) {
      req.addAllMetadata(metadata.values());
    }
    return new Result(req.build(), dropped);
  }

  private static PrometheusNames.Type typeOf(Metric m) {
    switch (m.getDataCase()) {
      case GAUGE:
        return PrometheusNames.Type.GAUGE;
      case SUM:
        return m.getSum().getIsMonotonic() ? PrometheusNames.Type.COUNTER : PrometheusNames.Type.GAUGE;
      case HISTOGRAM:
        return PrometheusNames.Type.HISTOGRAM;
      case SUMMARY:
        return PrometheusNames.Type.SUMMARY;
      default:
        return null;
    }
  }

  private static boolean sendable(Metric m) {
    AggregationTemporality cumulative = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    switch (m.getDataCase()) {
      case SUM:
        return m.getSum().getAggregationTemporality() == cumulative;
      case HISTOGRAM:
        return m.getHistogram().getAggregationTemporality() == cumulative;
      default:
        return true;
    }
  }

  private static List<NumberDataPoint> numberPoints(Metric m) {
    return m.hasGauge() ? m.getGauge().getDataPointsList()
        : m.hasSum() ? m.getSum().getDataPointsList() : List.of();
  }

  private static MetricMetadata.MetricType metadataType(PrometheusNames.Type t) {
    switch (t) {
      case COUNTER:
        return MetricMetadata.MetricType.COUNTER;
      case GAUGE:
        return MetricMetadata.MetricType.GAUGE;
      case HISTOGRAM:
        return MetricMetadata.MetricType.HISTOGRAM;
      default:
        return MetricMetadata.MetricType.SUMMARY;
    }
  }

  private void histogram(Map<Map<String, String>, TimeSeries.Builder> series, String family,
      Map<String, String> l, HistogramDataPoint p) {
    long t = millis(p.getTimeUnixNano());
    int flags = p.getFlags();
    long cumulative = 0;
    int buckets = p.getBucketCountsCount();
    for (int i = 0; i < buckets; i++) {
      cumulative += p.getBucketCounts(i);
      boolean last = i == buckets - 1 || i >= p.getExplicitBoundsCount();
      double upper = last ? Double.POSITIVE_INFINITY : p.getExplicitBounds(i);
      Map<String, String> withLe = new TreeMap<>(l);
      withLe.put("le", formatLe(upper));
      TimeSeries.Builder ts = add(series, family + "_bucket", withLe, value(flags, cumulative), t);
      double lower = i == 0 ? Double.NEGATIVE_INFINITY : p.getExplicitBounds(i - 1);
      for (var e : p.getExemplarsList()) {
        double v = e.hasAsDouble() ? e.getAsDouble() : e.getAsInt();
        if (v > lower && v <= upper) {
          exemplar(e).ifPresent(ts::addExemplars);
        }
      }
      if (last) {
        break;
      }
    }
    if (buckets == 0) {
      Map<String, String> withLe = new TreeMap<>(l);
      withLe.put("le", "+Inf");
      add(series, family + "_bucket", withLe, value(flags, p.getCount()), t);
    }
    if (p.hasSum()) {
      add(series, family + "_sum", l, value(flags, p.getSum()), t);
    }
    add(series, family + "_count", l, value(flags, p.getCount()), t);
  }

  private void summary(Map<Map<String, String>, TimeSeries.Builder> series, String family,
      Map<String, String> l, SummaryDataPoint p) {
    long t = millis(p.getTimeUnixNano());
    for (var q : p.getQuantileValuesList()) {
      Map<String, String> withQ = new TreeMap<>(l);
      withQ.put("quantile", String.valueOf(q.getQuantile()));
      add(series, family, withQ, value(p.getFlags(), q.getValue()), t);
    }
    add(series, family + "_sum", l, value(p.getFlags(), p.getSum()), t);
    add(series, family + "_count", l, value(p.getFlags(), p.getCount()), t);
  }

  /** Prometheus writes le as a float: 0.5, 1.0, +Inf. */
  static String formatLe(double upper) {
    return upper == Double.POSITIVE_INFINITY ? "+Inf" : String.valueOf(upper);
  }

  private static double value(int flags, double v) {
    return (flags & DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE) != 0 ? STALE_NAN : v;
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000L;
  }

  /** Adds a sample to the series of that name and labels (one series per label set). */
  private static TimeSeries.Builder add(Map<Map<String, String>, TimeSeries.Builder> series,
      String name, Map<String, String> l, double value, long millis) {
    Map<String, String> key = new TreeMap<>(l);
    key.put("__name__", name);
    TimeSeries.Builder ts = series.computeIfAbsent(key, k -> {
      TimeSeries.Builder b = TimeSeries.newBuilder();
      // The spec wants labels sorted by name; a TreeMap iterates in that order.
      k.forEach((n, v) -> b.addLabels(Label.newBuilder().setName(n).setValue(v)));
      return b;
    });
    ts.addSamples(Sample.newBuilder().setValue(value).setTimestamp(millis));
    return ts;
  }

  private static java.util.Optional<Exemplar> exemplar(io.opentelemetry.proto.metrics.v1.Exemplar e) {
    if (e.getTraceId().isEmpty()) {
      return java.util.Optional.empty();
    }
    HexFormat hex = HexFormat.of();
    Exemplar.Builder b = Exemplar.newBuilder()
        .setValue(e.hasAsDouble() ? e.getAsDouble() : e.getAsInt())
        .setTimestamp(millis(e.getTimeUnixNano()))
        .addLabels(Label.newBuilder().setName("span_id")
            .setValue(hex.formatHex(e.getSpanId().toByteArray())))
        .addLabels(Label.newBuilder().setName("trace_id")
            .setValue(hex.formatHex(e.getTraceId().toByteArray())));
    return java.util.Optional.of(b.build());
  }
}
