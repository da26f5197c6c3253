package io.vigil.exporter.vigilstore;

import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.IncidentHistory;
import io.vigil.exporter.incidents.IncidentQuery;
import io.vigil.exporter.incidents.IncidentState;
import io.vigil.exporter.incidents.Recommendation;
import io.vigil.exporter.incidents.Recommender;
import java.util.List;

/**
 * A recommender plugged into the real incidents exporter for the console's tests (the module
 * ships only {@code none}): resolved incidents with the same origin, so the incidents view has
 * a recommendation to show. Registered in this module's test META-INF/services.
 */
public final class SameOriginRecommender implements Recommender {

  private IncidentHistory history;

  @Override
  public String name() {
    return "same_origin";
  }

  @Override
  public void bind(IncidentHistory history) {
    this.history = history;
  }

  @Override
  public List<Recommendation> similar(Incident incident, int k) {
    return history.list(new IncidentQuery(IncidentState.RESOLVED, incident.origin(), null, 100))
        .stream()
        .filter(i -> !i.id().equals(incident.id()) && i.origin().equals(incident.origin()))
        .limit(k)
        .map(i -> new Recommendation(i.id(), 0.5, i.title(), i.resolution()))
        .toList();
  }
}
