package io.vigil.exporter.prometheus;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.time.Instant;

/** What a scrape of an accumulator returns, as text. */
final class ScrapeText {

  private ScrapeText() {}

  static String openMetrics(MetricAccumulator a, Instant now) {
    a.expire(now);
    return ExpositionFormats.init().getOpenMetricsTextFormatWriter()
        .toDebugString(a.read(SnapshotBuilder::build));
  }

  static String prometheusText(MetricAccumulator a, Instant now) {
    a.expire(now);
    return ExpositionFormats.init().getPrometheusTextFormatWriter()
        .toDebugString(a.read(SnapshotBuilder::build));
  }
}
