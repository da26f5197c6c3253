package io.vigil.exporter.prometheus;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the exposition library's snapshots from the accumulated series, so the library's
 * writers produce the text (escaping, {@code _total}, {@code _bucket}/{@code le}, exemplar
 * syntax) exactly as the formats define it.
 */
final class SnapshotBuilder {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotBuilder.class);

  private SnapshotBuilder() {}

  static MetricSnapshots build(Iterable<MetricFamily> families, Set<Map<String, String>> targets) {
    List<MetricSnapshot> out = new ArrayList<>();
    for (MetricFamily f : families) {
      try {
        out.add(family(f));
      } catch (IllegalArgumentException e) {
        // The library refuses what the formats cannot carry, e.g. a histogram attribute named
        // "le"; one bad family must not take the whole scrape down.
        LOG.warn("Metric {} is left out of the scrape: {}", f.name, e.getMessage());
      }
    }
    if (!targets.isEmpty()) {
      InfoSnapshot.Builder info = InfoSnapshot.builder().name("target")
          .help("Target metadata");
      targets.forEach(t -> info.dataPoint(
          InfoSnapshot.InfoDataPointSnapshot.builder().labels(labels(t)).build()));
      out.add(info.build());
    }
    try {
      return MetricSnapshots.of(out.toArray(MetricSnapshot[]::new));
    } catch (IllegalArgumentException e) {
      LOG.warn("Scrape output has clashing metric names ({}); serving none this time",
          e.getMessage());
      return MetricSnapshots.of();
    }
  }

  private static MetricSnapshot family(MetricFamily f) {
    String help = f.help == null || f.help.isEmpty() ? null : f.help;
    Unit unit = f.unit == null ? null : new Unit(f.unit);
    switch (f.type) {
      case COUNTER: {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(f.name).help(help).unit(unit);
        f.series.forEach((k, s) -> {
          NumberSeries n = (NumberSeries) s;
          var p = CounterSnapshot.CounterDataPointSnapshot.builder().value(n.value).labels(labels(k));
          if (n.exemplar != null) {
            p.exemplar(n.exemplar.toSnapshot());
          }
          if (n.startNanos > 0) {
            p.createdTimestampMillis(n.startNanos / 1_000_000L);
          }
          b.dataPoint(p.build());
        });
        return b.build();
      }
      case GAUGE: {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(f.name).help(help).unit(unit);
        f.series.forEach((k, s) -> {
          NumberSeries n = (NumberSeries) s;
          var p = GaugeSnapshot.GaugeDataPointSnapshot.builder().value(n.value).labels(labels(k));
          if (n.exemplar != null) {
            p.exemplar(n.exemplar.toSnapshot());
          }
          b.dataPoint(p.build());
        });
        return b.build();
      }
      case HISTOGRAM: {
        HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(f.name).help(help).unit(unit);
        f.series.forEach((k, s) -> b.dataPoint(histogramPoint(k, s)));
        return b.build();
      }
      default: {
        SummarySnapshot.Builder b = SummarySnapshot.builder().name(f.name).help(help).unit(unit);
        f.series.forEach((k, s) -> {
          SummarySeries sum = (SummarySeries) s;
          List<Quantile> q = new ArrayList<>();
          for (int i = 0; i < sum.quantiles.length; i++) {
            q.add(new Quantile(sum.quantiles[i], sum.values[i]));
          }
          b.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
              .count(sum.count).sum(sum.sum).quantiles(Quantiles.of(q)).labels(labels(k)).build());
        });
        return b.build();
      }
    }
  }

  private static HistogramSnapshot.HistogramDataPointSnapshot histogramPoint(
      Map<String, String> key, Series s) {
    HistogramSeries h = s instanceof ExponentialSeries x ? x.toClassic() : (HistogramSeries) s;
    double[] bounds = Arrays.copyOf(h.bounds, h.bounds.length + 1);
    bounds[h.bounds.length] = Double.POSITIVE_INFINITY;
    var p = HistogramSnapshot.HistogramDataPointSnapshot.builder()
        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, h.counts))
        .sum(h.sum)
        .labels(labels(key))
        .exemplars(Exemplars.of(Arrays.stream(h.exemplars).filter(Objects::nonNull)
            .map(TraceExemplar::toSnapshot).toList()));
    if (s.startNanos > 0) {
      p.createdTimestampMillis(s.startNanos / 1_000_000L);
    }
    return p.build();
  }

  private static Labels labels(Map<String, String> m) {
    return Labels.of(new ArrayList<>(m.keySet()), new ArrayList<>(m.values()));
  }
}
