package io.vigil.exporter.prometheus;

import io.vigil.exporter.prometheustranslator.PrometheusNames;
import io.vigil.exporter.prometheustranslator.SeriesLabels;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns OTLP points into the current state of Prometheus series, as the collector's
 * prometheusexporter accumulator does:
 *
 * <ul>
 *   <li>cumulative points replace the series' value; a point older than the one held is out of
 *       order and dropped. A counter that restarted (new start time, smaller value) is exposed
 *       as it is: Prometheus's rate() and increase() treat the drop as a reset;
 *   <li>delta points are added to a running total, so a scrape sees a cumulative counter or
 *       histogram; a delta not newer than the last one added is a duplicate or out of order
 *       and dropped, since adding it twice would inflate the total;
 *   <li>a series not updated for {@code metric_expiration} disappears from the next scrape.
 * </ul>
 *
 * Thread-safe: the pipeline adds while the scrape endpoint reads.
 */
final class MetricAccumulator {

  private static final Logger LOG = LoggerFactory.getLogger(MetricAccumulator.class);

  private final PrometheusExporterConfig config;
  private final SeriesLabels labels;
  private final Map<String, MetricFamily> families = new TreeMap<>();
  private final Map<Map<String, String>, Instant> targets = new HashMap<>();
  private final Set<String> reportedConflicts = new HashSet<>();
  private long droppedPoints;

  MetricAccumulator(PrometheusExporterConfig config) {
    this.config = config;
    this.labels = new SeriesLabels(config.constLabels, config.resourceToTelemetryConversion.enabled,
        config.promoteResourceAttributes);
  }

  /** Points dropped so far: out of order, duplicate deltas, type conflicts, no temporality. */
  synchronized long droppedPoints() {
    return droppedPoints;
  }

  synchronized void accumulate(ExportMetricsServiceRequest request, Instant now) {
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      Resource resource = rm.getResource();
      if (config.enableTargetInfo) {
        Map<String, String> info = SeriesLabels.targetInfo(resource);
        if (!info.isEmpty()) {
          targets.put(info, now);
        }
      }
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          metric(resource, sm.getScope(), m, now);
        }
      }
    }
  }

  private void metric(Resource resource, InstrumentationScope scope, Metric m, Instant now) {
    PrometheusNames.Type type = typeOf(m);
    if (type == null) {
      return;
    }
    String name = PrometheusNames.familyName(
        config.namespace, m.getName(), m.getUnit(), type, config.addMetricSuffixes);
    MetricFamily family = families.computeIfAbsent(name, n -> new MetricFamily(n, type,
        m.getDescription(), PrometheusNames.unitWord(n, m.getUnit(), type)));
    if (family.type != type) {
      droppedPoints += io.vigil.core.Signal.dataPoints(m);
      if (reportedConflicts.add(name)) {
        LOG.warn("Metric {} ({}) maps to Prometheus name {} which already is a {}; its points"
            + " are dropped. Rename one of the metrics at its source.", m.getName(), type, name,
            family.type);
      }
      return;
    }
    switch (m.getDataCase()) {
      case GAUGE:
        for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
          number(family, labels.of(resource, scope, p.getAttributesList()), p, false, now);
        }
        break;
      case SUM: {
        boolean delta = isDelta(m.getSum().getAggregationTemporality());
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          if (known(m.getSum().getAggregationTemporality())) {
            number(family, labels.of(resource, scope, p.getAttributesList()), p, delta, now);
          }
        }
        break;
      }
      case HISTOGRAM: {
        AggregationTemporality t = m.getHistogram().getAggregationTemporality();
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          if (known(t)) {
            histogram(family, labels.of(resource, scope, p.getAttributesList()), p, isDelta(t), now);
          }
        }
        break;
      }
      case EXPONENTIAL_HISTOGRAM: {
        AggregationTemporality t = m.getExponentialHistogram().getAggregationTemporality();
        for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
          if (known(t)) {
            exponential(family, labels.of(resource, scope, p.getAttributesList()), p, isDelta(t),
                now);
          }
        }
        break;
      }
      case SUMMARY:
        for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
          summary(family, labels.of(resource, scope, p.getAttributesList()), p, now);
        }
        break;
      default:
        break;
    }
  }

  static PrometheusNames.Type typeOf(Metric m) {
    switch (m.getDataCase()) {
      case GAUGE:
        return PrometheusNames.Type.GAUGE;
      case SUM:
        return m.getSum().getIsMonotonic() ? PrometheusNames.Type.COUNTER : PrometheusNames.Type.GAUGE;
      case HISTOGRAM:
      case EXPONENTIAL_HISTOGRAM:
        return PrometheusNames.Type.HISTOGRAM;
      case SUMMARY:
        return PrometheusNames.Type.SUMMARY;
      default:
        return null;
    }
  }

  private static boolean isDelta(AggregationTemporality t) {
    return t == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
  }

  private boolean known(AggregationTemporality t) {
    if (t == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
        || t == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
      return true;
    }
    droppedPoints++;
    return false;
  }

  private static boolean noValue(int flags) {
    return (flags & DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE) != 0;
  }

  /**
   * Whether a point may update a series held since {@code held}: cumulative points may repeat
   * the same time (a resend changes nothing), deltas must be strictly newer.
   */
  private boolean inOrder(Series held, long time, boolean delta) {
    if (held == null || (delta ? time > held.timeNanos : time >= held.timeNanos)) {
      return true;
    }
    droppedPoints++;
    return false;
  }

  private void number(MetricFamily f, Map<String, String> key, NumberDataPoint p, boolean delta,
      Instant now) {
    if (noValue(p.getFlags())) {
      return;
    }
    double v = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
    Series held = f.series.get(key);
    NumberSeries s = held instanceof NumberSeries n ? n : null;
    if (!inOrder(s, p.getTimeUnixNano(), delta)) {
      return;
    }
    if (s == null) {
      s = new NumberSeries();
      s.startNanos = p.getStartTimeUnixNano();
      s.value = v;
      f.series.put(key, s);
    } else if (delta) {
      s.value += v;
    } else {
      s.value = v;
      s.startNanos = p.getStartTimeUnixNano();
    }
    s.timeNanos = p.getTimeUnixNano();
    s.updated = now;
    TraceExemplar e = TraceExemplar.latest(p.getExemplarsList());
    if (e != null) {
      s.exemplar = e;
    }
  }

  private void histogram(MetricFamily f, Map<String, String> key, HistogramDataPoint p,
      boolean delta, Instant now) {
    if (noValue(p.getFlags())) {
      return;
    }
    double[] bounds = p.getExplicitBoundsList().stream().mapToDouble(Double::doubleValue).toArray();
    long[] counts = p.getBucketCountsCount() == bounds.length + 1
        ? p.getBucketCountsList().stream().mapToLong(Long::longValue).toArray()
        : onlyCount(bounds.length, p.getCount());
    double sum = p.hasSum() ? p.getSum() : 0;
    Series held = f.series.get(key);
    HistogramSeries s = held instanceof HistogramSeries h ? h : null;
    if (!inOrder(s, p.getTimeUnixNano(), delta)) {
      return;
    }
    if (s == null || !delta || !s.sameBuckets(bounds)) {
      if (s != null && delta) {
        LOG.debug("Histogram {} changed its bucket bounds; its running total starts over", f.name);
      }
      HistogramSeries replaced = s;
      s = new HistogramSeries(bounds, counts, sum);
      s.startNanos = p.getStartTimeUnixNano();
      if (replaced != null && replaced.sameBuckets(bounds)) {
        // Sources send an exemplar once (spanmetrics clears them after each flush): a later
        // point without one must not erase the link to a trace a scrape has not seen yet.
        s.exemplars = replaced.exemplars;
      }
      f.series.put(key, s);
    } else {
      s.add(counts, sum);
    }
    s.timeNanos = p.getTimeUnixNano();
    s.updated = now;
    p.getExemplarsList().forEach(e -> ((HistogramSeries) f.series.get(key)).offer(TraceExemplar.of(e)));
  }

  /** A histogram point without buckets still has a count: all of it in +Inf. */
  private static long[] onlyCount(int bounds, long count) {
    long[] c = new long[bounds + 1];
    c[bounds] = count;
    return c;
  }

  private void exponential(MetricFamily f, Map<String, String> key,
      ExponentialHistogramDataPoint p, boolean delta, Instant now) {
    if (noValue(p.getFlags())) {
      return;
    }
    Series held = f.series.get(key);
    ExponentialSeries s = held instanceof ExponentialSeries x ? x : null;
    if (!inOrder(s, p.getTimeUnixNano(), delta)) {
      return;
    }
    if (s == null || !delta) {
      s = new ExponentialSeries(p);
      s.startNanos = p.getStartTimeUnixNano();
      f.series.put(key, s);
    } else {
      s.add(p);
    }
    s.timeNanos = p.getTimeUnixNano();
    s.updated = now;
    p.getExemplarsList().forEach(e -> ((ExponentialSeries) f.series.get(key)).offer(TraceExemplar.of(e)));
  }

  private void summary(MetricFamily f, Map<String, String> key, SummaryDataPoint p, Instant now) {
    if (noValue(p.getFlags())) {
      return;
    }
    Series held = f.series.get(key);
    SummarySeries s = held instanceof SummarySeries x ? x : null;
    if (!inOrder(s, p.getTimeUnixNano(), false)) {
      return;
    }
    if (s == null) {
      s = new SummarySeries();
      f.series.put(key, s);
    }
    s.startNanos = p.getStartTimeUnixNano();
    s.timeNanos = p.getTimeUnixNano();
    s.updated = now;
    s.count = p.getCount();
    s.sum = p.getSum();
    List<SummaryDataPoint.ValueAtQuantile> q = p.getQuantileValuesList();
    s.quantiles = q.stream().mapToDouble(SummaryDataPoint.ValueAtQuantile::getQuantile).toArray();
    s.values = q.stream().mapToDouble(SummaryDataPoint.ValueAtQuantile::getValue).toArray();
  }

  /** Drops series (and target_info rows) not updated within metric_expiration. */
  synchronized void expire(Instant now) {
    Instant oldest = now.minus(config.metricExpiration);
    families.values().forEach(f -> f.series.values().removeIf(s -> s.updated.isBefore(oldest)));
    families.values().removeIf(f -> f.series.isEmpty());
    targets.values().removeIf(t -> t.isBefore(oldest));
  }

  /** Families as they are now, for the snapshot writer; call under no other lock. */
  synchronized <R> R read(java.util.function.BiFunction<Iterable<MetricFamily>, Set<Map<String, String>>, R> reader) {
    return reader.apply(families.values(), targets.keySet());
  }
}
