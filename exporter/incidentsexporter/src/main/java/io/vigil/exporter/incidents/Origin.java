package io.vigil.exporter.incidents;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names an incident's probable origin from its evidence. When the exporter saw the spans of the
 * evidence's traces ({@link Evidence#traceOrigin()}), the origin is the service their erroring
 * spans point to most often: the deepest failure on the request path, which every caller only
 * passed on. Without spans it falls back to the service of the earliest anomaly (by window start,
 * then arrival; held signals only when there is nothing else), which depends on when each detector's window closed and so may name a caller.
 */
public final class Origin {

  /** The origin came from the span tree of the evidence's traces. */
  public static final String TRACE_ERRORS = "trace_errors";
  /** No erroring span was known; the origin is the earliest anomaly's service. */
  public static final String EARLIEST_ANOMALY = "earliest_anomaly";

  private Origin() {}

  /** The probable origin service, "" without evidence. */
  public static String of(List<Evidence> evidence) {
    Map<String, Integer> votes = new LinkedHashMap<>();
    earliestFirst(evidence).forEach(e -> {
      if (e.traceOrigin() != null) {
        votes.merge(e.traceOrigin(), 1, Integer::sum);
      }
    });
    if (!votes.isEmpty()) {
      // Most votes; of equals, the one the earliest evidence named (insertion order).
      String best = null;
      int most = 0;
      for (Map.Entry<String, Integer> v : votes.entrySet()) {
        if (v.getValue() > most) {
          best = v.getKey();
          most = v.getValue();
        }
      }
      return best;
    }
    // Held signals came before the incident opened: the earliest of them is not where it began.
    return earliestFirst(evidence).filter(e -> !e.held()).findFirst()
        .or(() -> earliestFirst(evidence).findFirst()).map(Evidence::service).orElse("");
  }

  /** Which rule {@link #of} applied. */
  public static String rule(List<Evidence> evidence) {
    return evidence.stream().anyMatch(e -> e.traceOrigin() != null) ? TRACE_ERRORS
        : EARLIEST_ANOMALY;
  }

  private static java.util.stream.Stream<Evidence> earliestFirst(List<Evidence> evidence) {
    return evidence.stream().sorted(Comparator.comparing(Evidence::windowStart)
        .thenComparing(Evidence::received));
  }
}
