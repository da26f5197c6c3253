package io.vigil.featurerows;

import java.util.Arrays;

/**
 * One service's features over one window [start, end): values in the order of the builder's
 * {@link FeatureRowBuilder#names()}, NaN where the window held no point for a feature.
 */
public record FeatureRow(String service, long windowStartNanos, long windowEndNanos,
    double[] values) {

  public double value(int i) {
    return values[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureRow r && r.service.equals(service)
        && r.windowStartNanos == windowStartNanos && r.windowEndNanos == windowEndNanos
        && Arrays.equals(r.values, values);
  }

  @Override
  public int hashCode() {
    return service.hashCode() * 31 + Long.hashCode(windowStartNanos);
  }

  @Override
  public String toString() {
    return service + "@" + windowStartNanos + Arrays.toString(values);
  }
}
