package io.vigil.exporter.incidents;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code opening} block of the incidents exporter: which anomaly records are strong enough
 * to open an incident on their own, and how the weak ones are held until an incident they
 * belong to opens, or they add up, or they expire counted as signals not opened.
 */
public class OpeningConfig {
  /** {@code evidence} (open on strong evidence, hold weak signals) or {@code every} (every record opens). */
  public String policy = "evidence";
  /**
   * A new log template whose records are at or above this severity is strong: {@code trace},
   * {@code debug}, {@code info}, {@code warn}, {@code error} or {@code fatal}.
   */
  public String minSeverity = "warn";
  /**
   * Regular expressions found (anywhere, case-insensitively) in a metric anomaly's series
   * (name and labels) that make it strong: error and latency series.
   */
  public List<String> strongMetrics = new ArrayList<>(List.of(
      "duration", "latency", "error", "fail", "status_code=5"));
  /** A metric anomaly scored at or above this is strong; 0 = the score alone never is. */
  public double minScore = 0;
  /** Weak signals of one service (distinct template or series) that open an incident together ... */
  public int minSignals = 3;
  /** ... when their record times span at least this: a burst at one instant does not persist. */
  public Duration persist = Duration.ofSeconds(30);
  /** How long a weak signal waits for an incident to join; 0 = {@code group_window}. */
  public Duration hold = Duration.ZERO;
  /** Signals not opened kept for the API (the oldest go first); all are counted. */
  public int maxKept = 1000;
}
