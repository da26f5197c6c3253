package io.vigil.exporter.incidents;

import java.util.List;
import java.util.Optional;

/** Read access to stored incidents, as a classifier or recommender sees them. */
public interface IncidentHistory {

  Optional<Incident> find(String id);

  /** Incidents matching the query, most recently updated first, with evidence and timeline. */
  List<Incident> list(IncidentQuery query);
}
