package io.vigil.connector.anomaly;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * One observation of a series as the detector sees it: gauges as they are, cumulative
 * monotonic sums as a rate per second (from the previous point), delta sums as a rate over
 * their interval, histograms as the mean of the interval's observations.
 */
record SeriesValue(List<KeyValue> attributes, long timeNanos, long startNanos, Kind kind,
    double value, double count, List<ByteString> traceIds) {

  /** How the raw value becomes the detector's input. */
  enum Kind { LEVEL, CUMULATIVE_COUNTER, DELTA_COUNTER, CUMULATIVE_MEAN, DELTA_MEAN }

  /** The points of one metric; metric types with no numeric reading give none. */
  static List<SeriesValue> of(Metric m) {
    List<SeriesValue> out = new ArrayList<>();
    switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsList()
          .forEach(p -> out.add(number(p, Kind.LEVEL)));
      case SUM -> {
        boolean cumulative = m.getSum().getAggregationTemporality()
            == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        Kind kind = !m.getSum().getIsMonotonic() ? Kind.LEVEL
            : cumulative ? Kind.CUMULATIVE_COUNTER : Kind.DELTA_COUNTER;
        m.getSum().getDataPointsList().forEach(p -> out.add(number(p, kind)));
      }
      case HISTOGRAM -> {
        boolean cumulative = m.getHistogram().getAggregationTemporality()
            == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          out.add(new SeriesValue(p.getAttributesList(), p.getTimeUnixNano(),
              p.getStartTimeUnixNano(), cumulative ? Kind.CUMULATIVE_MEAN : Kind.DELTA_MEAN,
              p.getSum(), p.getCount(), traces(p.getExemplarsList())));
        }
      }
      default -> {
        // Exponential histograms and summaries are left to a later version.
      }
    }
    return out;
  }

  private static SeriesValue number(NumberDataPoint p, Kind kind) {
    double v = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
    return new SeriesValue(p.getAttributesList(), p.getTimeUnixNano(), p.getStartTimeUnixNano(),
        kind, v, 0, traces(p.getExemplarsList()));
  }

  private static List<ByteString> traces(List<Exemplar> exemplars) {
    List<ByteString> ids = new ArrayList<>(0);
    for (Exemplar e : exemplars) {
      if (!e.getTraceId().isEmpty()) {
        ids.add(e.getTraceId());
      }
    }
    return ids;
  }
}
