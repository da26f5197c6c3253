package io.vigil.testing;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vigil.core.telemetry.GatewayTelemetry;

/** Reads the gateway's own counters in tests. */
public final class Metrics {

  private Metrics() {}

  /** Sum of a counter or gauge over the data points whose labels include all given pairs. */
  public static double value(GatewayTelemetry t, String name, String... labelPairs) {
    double sum = 0;
    for (MetricSnapshot s : t.registry().scrape()) {
      if (!s.getMetadata().getName().equals(name)) {
        continue;
      }
      for (var d : s.getDataPoints()) {
        boolean match = true;
        for (int i = 0; i < labelPairs.length; i += 2) {
          match &= labelPairs[i + 1].equals(d.getLabels().get(labelPairs[i]));
        }
        if (match) {
          sum += d instanceof CounterSnapshot.CounterDataPointSnapshot
              ? ((CounterSnapshot.CounterDataPointSnapshot) d).getValue()
              : ((GaugeSnapshot.GaugeDataPointSnapshot) d).getValue();
        }
      }
    }
    return sum;
  }
}
