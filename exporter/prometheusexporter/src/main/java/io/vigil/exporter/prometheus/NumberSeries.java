package io.vigil.exporter.prometheus;

/** A gauge or counter series: one value and the latest exemplar. */
final class NumberSeries extends Series {
  double value;
  TraceExemplar exemplar;
}
