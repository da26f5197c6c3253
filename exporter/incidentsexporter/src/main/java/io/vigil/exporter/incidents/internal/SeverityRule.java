package io.vigil.exporter.incidents.internal;

import io.vigil.exporter.incidents.Evidence;
import io.vigil.exporter.incidents.Severity;
import io.vigil.pdata.AnomalyRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An incident's severity from its evidence (the README's table says the same):
 *
 * <ul>
 *   <li>each record weighs by its kind: {@code error_surge} 0.85, {@code new_template} 0.7,
 *       {@code template_surge} 0.6, {@code rare_sequence} and anything else 0.5; a record with a
 *       score (metric anomalies) weighs {@code 0.5 + 0.4 × score} if that is more — so a lone
 *       metric anomaly, however sure, is at most high: a metric moving is a symptom, not yet
 *       an outage;
 *   <li>the incident's weight is its heaviest record's, plus 0.1 when logs and metrics both
 *       show it (independent detectors agree), plus 0.05 per service beyond the first, up to
 *       0.1 (the fault spreads);
 *   <li>critical from 0.95, high from 0.8, medium from 0.6, else low.
 * </ul>
 *
 * Evidence only accumulates, so an incident's severity never falls.
 */
public final class SeverityRule {

  private SeverityRule() {}

  public static double weight(Evidence e) {
    double byKind = switch (e.kind()) {
      case "error_surge" -> 0.85;
      case "new_template" -> 0.7;
      case "template_surge" -> 0.6;
      default -> 0.5;
    };
    return e.score() == null ? byKind : Math.max(byKind, 0.5 + 0.4 * clamp(e.score()));
  }

  public static double weight(List<Evidence> evidence) {
    double max = 0;
    Set<String> sources = new HashSet<>();
    Set<String> services = new HashSet<>();
    for (Evidence e : evidence) {
      max = Math.max(max, weight(e));
      sources.add(e.source());
      services.add(e.service());
    }
    double w = max;
    if (sources.contains(AnomalyRecord.SOURCE_LOGS)
        && sources.contains(AnomalyRecord.SOURCE_METRICS)) {
      w += 0.1;
    }
    w += Math.min(0.1, 0.05 * Math.max(0, services.size() - 1));
    return w;
  }

  public static Severity of(List<Evidence> evidence) {
    // Rounded so that 0.85 + 0.1 is 0.95, not 0.9499999.
    double w = Math.round(weight(evidence) * 1000) / 1000.0;
    return w >= 0.95 ? Severity.CRITICAL : w >= 0.8 ? Severity.HIGH
        : w >= 0.6 ? Severity.MEDIUM : Severity.LOW;
  }

  private static double clamp(double score) {
    return Double.isNaN(score) ? 0 : Math.max(0, Math.min(1, score));
  }
}
