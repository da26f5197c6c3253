package io.vigil.exporter.incidents;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The text of an incident a cause classifier reads: its title and the distinct words of its
 * evidence, grouped by what they are, so a classifier can weigh templates above descriptions.
 *
 * @param kinds anomaly kinds ({@code new_template}, {@code metric_anomaly}, ...)
 * @param templates log template texts ({@code <*>} marks variables)
 * @param series metric series (name and labels)
 * @param messages the detectors' descriptions (record bodies)
 */
public record IncidentText(String title, List<String> services, List<String> kinds,
    List<String> templates, List<String> series, List<String> messages) {

  public IncidentText {
    services = List.copyOf(services);
    kinds = List.copyOf(kinds);
    templates = List.copyOf(templates);
    series = List.copyOf(series);
    messages = List.copyOf(messages);
  }

  public static IncidentText of(Incident incident) {
    Set<String> kinds = new LinkedHashSet<>();
    Set<String> templates = new LinkedHashSet<>();
    Set<String> series = new LinkedHashSet<>();
    Set<String> messages = new LinkedHashSet<>();
    for (Evidence e : incident.evidence()) {
      kinds.add(e.kind());
      if (e.template() != null) {
        templates.add(e.template());
      }
      if (e.series() != null) {
        series.add(e.series());
      }
      if (e.body() != null && !e.body().isEmpty()) {
        messages.add(e.body());
      }
    }
    return new IncidentText(incident.title(), incident.services(), new ArrayList<>(kinds),
        new ArrayList<>(templates), new ArrayList<>(series), new ArrayList<>(messages));
  }

  /** Everything as one document, one item a line, for classifiers that take plain text. */
  public String text() {
    List<String> lines = new ArrayList<>();
    lines.add(title);
    lines.addAll(services);
    lines.addAll(kinds);
    lines.addAll(templates);
    lines.addAll(series);
    lines.addAll(messages);
    return String.join("\n", lines);
  }
}
