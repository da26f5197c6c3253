package io.vigil.exporter.prometheus;

/** A summary: count, sum and quantiles as the source computed them (never accumulated). */
final class SummarySeries extends Series {
  long count;
  double sum;
  double[] quantiles = new double[0];
  double[] values = new double[0];
}
