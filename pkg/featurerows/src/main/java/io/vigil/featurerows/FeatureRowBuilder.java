package io.vigil.featurerows;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns metric batches into one row of named features per service and window: the one place
 * where the {@code featurerows} exporter (rows written for training) and the
 * {@code failureprediction} connector (rows scored live) compute features, so a model sees live
 * what it was trained on.
 *
 * <p>A point belongs to the window holding its time stamp. A window is closed, and its rows
 * handed out, by {@link #closeUntil} once its end is {@code delay} in the past; points for a
 * closed window are dropped and counted as late. Not thread-safe by itself: callers hold its
 * monitor (every public method is synchronized).
 */
public final class FeatureRowBuilder {

  /** A configured feature, compiled. */
  private record Feature(int index, String name, Aggregation aggregation,
      Map<String, String> where, Map<String, String> numerator, double quantile, int of,
      long overNanos) {}

  /** A series' previous point, for cumulative sums and histograms. */
  private record Previous(long time, long start, double value, double sum, double count,
      double[] buckets) {}

  private final long windowNanos;
  private final long delayNanos;
  private final double windowSeconds;
  private final String serviceAttribute;
  private final int maxServices;
  private final List<String> names;
  private final List<Feature> features;
  private final Map<String, List<Feature>> byMetric = new HashMap<>();
  /** Per service, open windows by start. */
  private final Map<String, TreeMap<Long, WindowAccumulator[]>> open = new LinkedHashMap<>();
  private final LinkedHashMap<String, Previous> previous;
  /** Per service, its recent rows' values by window start, for {@code change} features. */
  private final LinkedHashMap<String, TreeMap<Long, double[]>> history;
  /** How far back the {@code change} features look; 0 when there are none. */
  private final long historyNanos;
  /** Windows starting before this were handed out. */
  private long closedBefore = Long.MIN_VALUE;
  /** Latest time stamp taken (about year 2116): beyond it window ends would overflow. */
  static final long MAX_TIME = Long.MAX_VALUE / 2;

  private final AtomicLong late = new AtomicLong();
  private final AtomicLong untimed = new AtomicLong();
  private final AtomicLong overServices = new AtomicLong();
  private final AtomicLong mismatchedBuckets = new AtomicLong();

  public FeatureRowBuilder(FeatureRowsSettings s) {
    this.windowNanos = s.window.toNanos();
    this.delayNanos = s.delay.toNanos();
    this.windowSeconds = windowNanos / 1e9;
    this.serviceAttribute = s.serviceAttribute;
    this.maxServices = s.maxServices;
    int maxSeries = s.maxSeries;
    this.previous = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Previous> e) {
        return size() > maxSeries;
      }
    };
    int services = maxServices;
    this.history = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, TreeMap<Long, double[]>> e) {
        return size() > services;
      }
    };
    List<Feature> fs = new ArrayList<>();
    List<String> ns = new ArrayList<>();
    List<FeatureSpec> specs = s.effectiveFeatures();
    long back = 0;
    for (int i = 0; i < specs.size(); i++) {
      FeatureSpec f = specs.get(i);
      Aggregation a = Aggregation.parse(f.aggregation);
      boolean change = a == Aggregation.CHANGE;
      Feature c = new Feature(i, f.name, a, Map.copyOf(f.where), Map.copyOf(f.numerator),
          f.quantile, change ? ns.indexOf(f.of) : -1, change ? f.over.toNanos() : 0);
      fs.add(c);
      ns.add(f.name);
      if (change) {
        back = Math.max(back, c.overNanos());
      } else {
        byMetric.computeIfAbsent(f.metric, k -> new ArrayList<>()).add(c);
      }
    }
    this.features = List.copyOf(fs);
    this.names = List.copyOf(ns);
    this.historyNanos = back;
  }

  /** Feature names, in column order. */
  public List<String> names() {
    return names;
  }

  public long windowNanos() {
    return windowNanos;
  }

  /** Windows starting before this time have been handed out; no row can join them. */
  public synchronized long closedBefore() {
    return closedBefore;
  }

  /** Points dropped because their window was already closed. */
  public long latePoints() {
    return late.get();
  }

  /** Points dropped for a time stamp of 0 (unset), or past {@link #MAX_TIME}. */
  public long untimedPoints() {
    return untimed.get();
  }

  /** Points dropped because {@code max_services} services were followed already. */
  public long pointsOverServiceLimit() {
    return overServices.get();
  }

  /** Histogram points left out of a quantile: malformed buckets, or bounds unlike the others. */
  public long mismatchedBucketPoints() {
    return mismatchedBuckets.get();
  }

  public synchronized void add(ExportMetricsServiceRequest batch) {
    for (ResourceMetrics rm : batch.getResourceMetricsList()) {
      List<KeyValue> resource = rm.getResource().getAttributesList();
      String service = null;
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          List<Feature> wanted = byMetric.get(m.getName());
          if (wanted == null) {
            continue;
          }
          if (service == null) {
            service = serviceOf(resource);
          }
          addMetric(service, resource, m, wanted);
        }
      }
    }
  }

  private String serviceOf(List<KeyValue> resource) {
    for (KeyValue kv : resource) {
      if (kv.getKey().equals(serviceAttribute)) {
        return text(kv.getValue());
      }
    }
    return "unknown_service";
  }

  private void addMetric(String service, List<KeyValue> resource, Metric m,
      List<Feature> wanted) {
    // The data type is part of the key: a metric whose type changed starts a new series.
    String metricKey = m.getName() + "\u0000" + m.getDataCase() + "\u0000" + resource.hashCode()
        + "\u0000";
    switch (m.getDataCase()) {
      case GAUGE -> {
        for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
          double v = number(p);
          point(service, resource, p.getAttributesList(), seriesKey(metricKey, p.getAttributesList()),
              p.getTimeUnixNano(), v, v, null, null, wanted);
        }
      }
      case SUM -> {
        boolean monotonic = m.getSum().getIsMonotonic();
        boolean cumulative = m.getSum().getAggregationTemporality()
            == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          double v = number(p);
          String key = seriesKey(metricKey, p.getAttributesList());
          long t = p.getTimeUnixNano();
          double reading = v;
          double increase = v;
          if (monotonic && cumulative) {
            Previous prev = previous.get(key);
            previous.put(key, new Previous(t, p.getStartTimeUnixNano(), v, 0, 0, null));
            if (prev == null || t <= prev.time()) {
              increase = Double.NaN; // first point of a series: its growth since when?
            } else {
              increase = v >= prev.value() ? v - prev.value() : v; // a drop is a restart
            }
            reading = perSecond(increase, t - (prev == null ? t : prev.time()));
          } else if (monotonic) {
            reading = perSecond(v, t - p.getStartTimeUnixNano());
          }
          point(service, resource, p.getAttributesList(), key, t, reading, increase, null, null,
              wanted);
        }
      }
      case HISTOGRAM -> {
        boolean cumulative = m.getHistogram().getAggregationTemporality()
            == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          histogram(service, resource, metricKey, p, cumulative, wanted);
        }
      }
      default -> {
        // Exponential histograms and summaries give no reading yet.
      }
    }
  }

  private void histogram(String service, List<KeyValue> resource, String metricKey,
      HistogramDataPoint p, boolean cumulative, List<Feature> wanted) {
    String key = seriesKey(metricKey, p.getAttributesList());
    long t = p.getTimeUnixNano();
    double[] counts = new double[p.getBucketCountsCount()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = p.getBucketCounts(i);
    }
    double sum = p.getSum();
    double count = p.getCount();
    if (cumulative) {
      Previous prev = previous.get(key);
      previous.put(key, new Previous(t, p.getStartTimeUnixNano(), 0, sum, count, counts));
      if (prev == null || t <= prev.time()) {
        return;
      }
      if (count >= prev.count() && prev.buckets() != null
          && prev.buckets().length == counts.length) {
        for (int i = 0; i < counts.length; i++) {
          counts[i] -= prev.buckets()[i];
        }
        sum -= prev.sum();
        count -= prev.count();
      } // else a restart: the point's own counts are the interval's
    }
    double[] bounds = new double[p.getExplicitBoundsCount()];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = p.getExplicitBounds(i);
    }
    double mean = count > 0 ? sum / count : Double.NaN;
    if (!wellFormed(bounds, counts)) {
      mismatchedBuckets.incrementAndGet();
      bounds = null; // still a mean and a count, but no quantile from buckets that make none
    }
    point(service, resource, p.getAttributesList(), key, t, mean, count, bounds, counts, wanted);
  }

  /** Strictly increasing finite bounds, one count more than bounds, none negative. */
  private static boolean wellFormed(double[] bounds, double[] counts) {
    if (counts.length != bounds.length + 1) {
      return false;
    }
    for (int i = 0; i < bounds.length; i++) {
      if (!Double.isFinite(bounds[i]) || i > 0 && !(bounds[i] > bounds[i - 1])) {
        return false;
      }
    }
    for (double c : counts) {
      if (!(c >= 0)) {
        return false;
      }
    }
    return true;
  }

  private void point(String service, List<KeyValue> resource, List<KeyValue> attrs,
      String series, long time, double reading, double increase, double[] bounds,
      double[] buckets, List<Feature> wanted) {
    if (time <= 0 || time > MAX_TIME) {
      untimed.incrementAndGet();
      return;
    }
    long start = Math.floorDiv(time, windowNanos) * windowNanos;
    if (start < closedBefore) {
      late.incrementAndGet();
      return;
    }
    WindowAccumulator[] window = null;
    for (Feature f : wanted) {
      if (!matches(f.where(), attrs, resource)) {
        continue;
      }
      if (window == null) {
        window = window(service, start);
        if (window == null) {
          return;
        }
      }
      WindowAccumulator acc = window[f.index()];
      switch (f.aggregation()) {
        case LAST, MEAN, MAX, MIN -> {
          if (!Double.isNaN(reading)) {
            acc.reading(series, time, reading);
          }
        }
        case MIN_TOTAL -> {
          if (!Double.isNaN(reading)) {
            acc.totalReading(time, reading);
          }
        }
        case SUM, RATE -> {
          if (!Double.isNaN(increase)) {
            acc.increase(increase, false);
          }
        }
        case RATIO -> {
          if (!Double.isNaN(increase)) {
            acc.increase(increase, matches(f.numerator(), attrs, resource));
          }
        }
        case QUANTILE -> {
          if (bounds != null && !acc.buckets(bounds, buckets)) {
            mismatchedBuckets.incrementAndGet();
          }
        }
        case CHANGE -> {
          // never reached: change features read no metric, so none is in byMetric
        }
      }
    }
  }

  private WindowAccumulator[] window(String service, long start) {
    TreeMap<Long, WindowAccumulator[]> windows = open.get(service);
    if (windows == null) {
      if (open.size() >= maxServices) {
        overServices.incrementAndGet();
        return null;
      }
      windows = new TreeMap<>();
      open.put(service, windows);
    }
    return windows.computeIfAbsent(start, s -> {
      WindowAccumulator[] a = new WindowAccumulator[features.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = new WindowAccumulator();
      }
      return a;
    });
  }

  /**
   * Closes every window whose end is at least {@code delay} before {@code nowNanos}.
   *
   * @return their rows, by window start then in the order services were first seen
   */
  public synchronized List<FeatureRow> closeUntil(long nowNanos) {
    long before = Math.floorDiv(nowNanos - delayNanos, windowNanos) * windowNanos;
    closedBefore = Math.max(closedBefore, before);
    return close(closedBefore);
  }

  /** Closes every window, e.g. at shutdown; later points for them count as late. */
  public synchronized List<FeatureRow> closeAll() {
    long last = Long.MIN_VALUE;
    for (TreeMap<Long, WindowAccumulator[]> w : open.values()) {
      if (!w.isEmpty()) {
        last = Math.max(last, w.lastKey());
      }
    }
    if (last != Long.MIN_VALUE) {
      closedBefore = Math.max(closedBefore, last + windowNanos);
    }
    return close(closedBefore);
  }

  private List<FeatureRow> close(long before) {
    List<FeatureRow> rows = new ArrayList<>();
    for (Iterator<Map.Entry<String, TreeMap<Long, WindowAccumulator[]>>> it =
        open.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, TreeMap<Long, WindowAccumulator[]>> e = it.next();
      Map<Long, WindowAccumulator[]> closing = e.getValue().headMap(before);
      for (Map.Entry<Long, WindowAccumulator[]> w : closing.entrySet()) {
        double[] values = new double[features.size()];
        for (Feature f : features) {
          values[f.index()] = f.aggregation() == Aggregation.CHANGE
              ? change(e.getKey(), w.getKey(), f, values)
              : w.getValue()[f.index()].value(f.aggregation(), f.quantile(), windowSeconds);
        }
        remember(e.getKey(), w.getKey(), values);
        rows.add(new FeatureRow(e.getKey(), w.getKey(), w.getKey() + windowNanos, values));
      }
      closing.clear();
      if (e.getValue().isEmpty()) {
        it.remove(); // a service gone quiet stops counting against max_services
      }
    }
    rows.sort((a, b) -> Long.compare(a.windowStartNanos(), b.windowStartNanos()));
    return rows;
  }

  /** Columns are filled in order, so {@code of} (listed before) is already in {@code values}. */
  private double change(String service, long start, Feature f, double[] values) {
    TreeMap<Long, double[]> rows = history.get(service);
    double[] then = rows == null ? null : rows.get(start - f.overNanos());
    return then == null ? Double.NaN : values[f.of()] - then[f.of()];
  }

  private void remember(String service, long start, double[] values) {
    if (historyNanos == 0) {
      return;
    }
    TreeMap<Long, double[]> rows = history.computeIfAbsent(service, k -> new TreeMap<>());
    rows.put(start, values);
    rows.headMap(start - historyNanos).clear();
  }

  private static boolean matches(Map<String, String> wanted, List<KeyValue> attrs,
      List<KeyValue> resource) {
    for (Map.Entry<String, String> w : wanted.entrySet()) {
      String v = find(attrs, w.getKey());
      if (v == null) {
        v = find(resource, w.getKey());
      }
      if (!w.getValue().equals(v)) {
        return false;
      }
    }
    return true;
  }

  private static String find(List<KeyValue> attrs, String key) {
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(key)) {
        return text(kv.getValue());
      }
    }
    return null;
  }

  private static String text(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      default -> v.toString();
    };
  }

  private static String seriesKey(String metricKey, List<KeyValue> attrs) {
    StringBuilder sb = new StringBuilder(metricKey);
    for (KeyValue kv : attrs) {
      sb.append(kv.getKey()).append('=').append(text(kv.getValue())).append('\u0001');
    }
    return sb.toString();
  }

  private static double number(NumberDataPoint p) {
    return p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
  }

  private static double perSecond(double increase, long nanos) {
    return nanos > 0 && !Double.isNaN(increase) ? increase / (nanos / 1e9) : Double.NaN;
  }
}
