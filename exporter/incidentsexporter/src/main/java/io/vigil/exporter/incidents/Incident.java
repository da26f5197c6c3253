package io.vigil.exporter.incidents;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An incident as stored: what it is about, where it is in its lifecycle, and the evidence and
 * timeline that got it there.
 *
 * @param origin the probable origin, see {@link Origin}
 * @param originRule how it was named: {@link Origin#TRACE_ERRORS} or
 *     {@link Origin#EARLIEST_ANOMALY}
 * @param opened when the incident was opened (gateway clock)
 * @param updated when evidence or state last changed (gateway clock)
 * @param lastEvidence the latest window end among its evidence (record time): grouping measures
 *     {@code group_window} from it
 * @param resolution the latest resolution, kept after a reopen; null if never resolved
 */
public record Incident(String id, IncidentState state, Severity severity, String title,
    String origin, String originRule, Instant opened, Instant updated, Instant lastEvidence, Resolution resolution,
    Classification classification, List<Evidence> evidence, List<TimelineEntry> timeline) {

  public Incident {
    evidence = List.copyOf(evidence);
    timeline = List.copyOf(timeline);
  }

  /**
   * When the trouble began: the earliest window start of the evidence filed on its own; held
   * signals filed with it (weak signals that came before it opened) do not move it, since a rare
   * sequence held a minute earlier is as likely a coincidence as a precursor. {@link #opened()}
   * when there is no evidence.
   */
  public Instant started() {
    return evidence.stream().filter(e -> !e.held()).map(Evidence::windowStart)
        .min(Comparator.naturalOrder())
        .or(() -> evidence.stream().map(Evidence::windowStart).min(Comparator.naturalOrder()))
        .orElse(opened);
  }

  /** Services with evidence in this incident, in order of first evidence. */
  public List<String> services() {
    Set<String> s = new LinkedHashSet<>();
    evidence.forEach(e -> s.add(e.service()));
    return List.copyOf(s);
  }

  /** Distinct exemplar trace IDs of the evidence, in order of first appearance. */
  public List<String> traceIds() {
    Set<String> s = new LinkedHashSet<>();
    evidence.forEach(e -> s.addAll(e.traceIds()));
    return List.copyOf(s);
  }

  /** Distinct signatures of the evidence: what a recurrence is matched on. */
  public Set<String> signatures() {
    Set<String> s = new LinkedHashSet<>();
    evidence.forEach(e -> s.add(e.signature()));
    return s;
  }
}
