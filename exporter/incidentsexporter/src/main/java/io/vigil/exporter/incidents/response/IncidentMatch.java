package io.vigil.exporter.incidents.response;

import com.google.re2j.Pattern;
import io.vigil.exporter.incidents.Evidence;
import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.ResponseConfig;
import io.vigil.exporter.incidents.Severity;
import java.util.List;

/** A rule's {@code match} block, compiled: does an incident, as it is now, match? */
final class IncidentMatch {

  private final String cause;
  private final String service;
  private final Severity minSeverity;
  private final List<String> kinds;
  private final Pattern text;

  IncidentMatch(ResponseConfig.Match m) {
    cause = empty(m.cause) ? null : m.cause;
    service = empty(m.service) ? null : m.service;
    minSeverity = empty(m.severity) ? null : Severity.of(m.severity);
    kinds = m.kinds == null ? List.of() : List.copyOf(m.kinds);
    text = empty(m.text) ? null : Pattern.compile(m.text);
  }

  /**
   * With a {@code service}, the evidence conditions ({@code kinds}, {@code text}) are read on
   * that service's evidence only, and the title only when the incident is on that service: an
   * incident on storefront that says "storefront's call to orders failed" and holds one unrelated
   * orders record must not run a rule written for orders' own failures (a demo run switched
   * orders' fallback on for exactly such an incident, a minute before any fault).
   */
  boolean matches(Incident i) {
    if (cause != null && (i.classification() == null
        || !cause.equals(i.classification().label()))) {
      return false;
    }
    List<Evidence> evidence = service == null ? i.evidence()
        : i.evidence().stream().filter(e -> service.equals(e.service())).toList();
    if (service != null && evidence.isEmpty()) {
      return false;
    }
    if (minSeverity != null && i.severity().compareTo(minSeverity) < 0) {
      return false;
    }
    if (!kinds.isEmpty() && evidence.stream().noneMatch(e -> kinds.contains(e.kind()))) {
      return false;
    }
    boolean titleCounts = service == null || service.equals(i.origin());
    if (text != null && !(titleCounts && text.matcher(i.title()).find())
        && evidence.stream().map(Evidence::body)
            .noneMatch(b -> b != null && text.matcher(b).find())) {
      return false;
    }
    return true;
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }
}
