package io.vigil.exporter.incidents.chat;

import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.IncidentQuery;
import io.vigil.exporter.incidents.Recommendation;
import java.util.List;

/**
 * What the chat needs of the incidents: the same operations the HTTP API offers. An interface
 * here, implemented over the tracker where the exporter is wired, so this package depends on
 * the incidents API only. Each method throws a RuntimeException whose message is fit to show a
 * person (unknown incident, refused transition, no such action).
 */
public interface IncidentDesk {

  List<Incident> list(IncidentQuery query);

  Incident get(String id);

  Incident acknowledge(String id, String actor, String note);

  Incident resolve(String id, String actor, String category, String note);

  List<Recommendation> similar(String id, int k);

  /** Runs response action {@code n} that awaits approval. */
  void approve(String id, int n, String actor);

  /**
   * Runs the action of the response rule with {@code run_as: action} for {@code service}, on
   * incident {@code id}'s timeline, through the rules' guardrails; returns the audit note.
   */
  String run(String action, String id, String service, boolean dryRun, String actor);
}
