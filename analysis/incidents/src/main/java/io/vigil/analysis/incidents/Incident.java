package io.vigil.analysis.incidents;

import java.util.ArrayList;
import java.util.List;

/**
 * An incident as the post-mortem records describe it. Only the fields known when an incident is
 * detected go into {@link #detectionText()}; the cause and the mitigation are labels, kept apart
 * so that no model can read the answer from its input.
 */
public record Incident(
    String id,
    String title,
    String summary,
    List<String> services,
    List<String> impactSymptoms,
    List<String> manifestations,
    List<String> operations,
    List<RootCauseLabel> rootCauses,
    List<String> mitigations) {

  public Incident {
    services = List.copyOf(services);
    impactSymptoms = List.copyOf(impactSymptoms);
    manifestations = List.copyOf(manifestations);
    operations = List.copyOf(operations);
    rootCauses = List.copyOf(rootCauses);
    mitigations = List.copyOf(mitigations);
  }

  /**
   * Title, summary, services, symptoms, manifestation and operation: what an on-call engineer
   * knows at detection time. Never the root-cause details or the full write-up, which state the
   * cause.
   */
  public String detectionText() {
    List<String> parts = new ArrayList<>();
    add(parts, "", title);
    add(parts, "", summary);
    add(parts, "Services: ", String.join(", ", services));
    add(parts, "Impact: ", String.join(", ", impactSymptoms));
    add(parts, "Symptoms: ", String.join(", ", manifestations));
    add(parts, "Operation: ", String.join(", ", operations));
    return String.join("\n", parts);
  }

  private static void add(List<String> parts, String prefix, String value) {
    if (value != null && !value.isBlank()) {
      parts.add(prefix + value.strip());
    }
  }
}
