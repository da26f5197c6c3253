package io.vigil.analysis.incidents;

import java.util.Set;
import java.util.TreeSet;

/**
 * A resolved incident to learn from: its detection-time text, its cause label (null when
 * unknown) and the resolution categories that ended it (empty when unknown). Labels are plain
 * strings so users may train on their own taxonomy; {@link #of(Incident)} uses Vigil's.
 */
public record LabelledIncident(String id, String text, String cause, Set<String> resolutions) {

  public LabelledIncident {
    resolutions = Set.copyOf(resolutions);
  }

  public static LabelledIncident of(Incident incident) {
    Set<String> resolutions = new TreeSet<>();
    ResolutionTaxonomy.of(incident.mitigations()).forEach(c -> resolutions.add(c.name()));
    return new LabelledIncident(incident.id(), incident.detectionText(),
        CauseTaxonomy.of(incident.rootCauses()).map(Cause::label).orElse(null), resolutions);
  }
}
