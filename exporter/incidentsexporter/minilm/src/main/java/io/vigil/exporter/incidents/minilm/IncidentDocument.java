package io.vigil.exporter.incidents.minilm;

import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.IncidentText;
import io.vigil.exporter.incidents.Resolution;
import io.vigil.analysis.incidents.LabelledIncident;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a gateway incident as the text the models were trained on: the post-mortems'
 * detection-time text ({@code Incident.detectionText()} in analysis/incidents) is a title line,
 * then {@code Services: ...}, {@code Symptoms: ...} lines. Detector kinds become words
 * ("new_template" means nothing to a sentence model; "a kind of log message never seen before"
 * does), and log templates lose their {@code <*>} placeholders.
 */
final class IncidentDocument {

  private static final Map<String, String> KINDS = Map.of(
      "new_template", "a kind of log message never seen before",
      "template_surge", "a surge of one kind of log message",
      "error_surge", "a surge of error log messages",
      "rare_sequence", "log messages in an unusual order",
      "metric_anomaly", "an anomalous metric");

  private IncidentDocument() {}

  /** The text a classifier reads, from what is known when the incident opens. */
  static String text(IncidentText t) {
    List<String> lines = new ArrayList<>();
    lines.add(t.title());
    if (!t.services().isEmpty()) {
      lines.add("Services: " + String.join(", ", t.services()));
    }
    List<String> symptoms = new ArrayList<>();
    t.kinds().forEach(k -> symptoms.add(KINDS.getOrDefault(k, k.replace('_', ' '))));
    t.templates().forEach(x -> symptoms.add(x.replace("<*>", "").replaceAll("\\s+", " ").strip()));
    t.series().forEach(symptoms::add);
    if (!symptoms.isEmpty()) {
      lines.add("Symptoms: " + String.join(", ", symptoms));
    }
    t.messages().stream().filter(m -> !m.equals(t.title())).forEach(lines::add);
    return String.join("\n", lines);
  }

  static String text(Incident incident) {
    return text(IncidentText.of(incident));
  }

  /**
   * A resolved incident as a knowledge-base entry: the category a person gave is its cause, and
   * its note is what was done.
   */
  static LabelledIncident labelled(Incident resolved) {
    Resolution r = resolved.resolution();
    return new LabelledIncident(resolved.id(), text(resolved), r.category(),
        Set.of(r.category()));
  }
}
