package io.vigil.connector.spanmetrics;

import io.opentelemetry.proto.metrics.v1.Exemplar;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/** Calls and the duration histogram of one (resource, service, span name, kind, status, dims). */
final class SpanSeries {
  final long[] bucketCounts;
  double durationSum;
  long calls;
  long startNanos;
  /** Exemplars since the last flush, newest last, at most max_per_data_point. */
  final Deque<Exemplar> exemplars = new ArrayDeque<>();

  SpanSeries(int buckets, long startNanos) {
    this.bucketCounts = new long[buckets + 1];
    this.startNanos = startNanos;
  }

  void record(double[] bounds, double duration, Exemplar exemplar, int maxExemplars) {
    int i = Arrays.binarySearch(bounds, duration);
    bucketCounts[i >= 0 ? i : -i - 1]++;
    durationSum += duration;
    calls++;
    if (exemplar != null && maxExemplars > 0) {
      exemplars.addLast(exemplar);
      while (exemplars.size() > maxExemplars) {
        exemplars.removeFirst();
      }
    }
  }

  /** After a delta flush: counting starts again from the flush time. */
  void reset(long startNanos) {
    Arrays.fill(bucketCounts, 0);
    durationSum = 0;
    calls = 0;
    this.startNanos = startNanos;
  }
}
