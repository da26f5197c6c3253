package io.vigil.exporter.vigilstore;

import java.util.Arrays;

/** Exact percentiles by nearest rank over durations in nanoseconds, answered in milliseconds. */
final class Percentiles {

  private final long[] sorted;

  Percentiles(long[] durations, int size) {
    this.sorted = Arrays.copyOf(durations, size);
    Arrays.sort(sorted);
  }

  /** The {@code q} quantile (0..1) in ms; 0 when there are no durations. */
  double ms(double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }
}
