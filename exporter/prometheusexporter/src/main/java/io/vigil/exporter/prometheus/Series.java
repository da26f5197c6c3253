package io.vigil.exporter.prometheus;

import java.time.Instant;

/** What every series remembers: the point's start and end time, and when it was last updated. */
abstract class Series {
  /** The point's start time: where a cumulative series began (a new one means a reset). */
  long startNanos;
  /** The point's time; older points are out of order and dropped. */
  long timeNanos;
  /** Wall-clock time of the last update, for metric_expiration. */
  Instant updated;
}
