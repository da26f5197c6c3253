package io.vigil.exporter.incidents.response;

import io.vigil.exporter.incidents.Incident;

/**
 * What the response engine needs of the incidents: read one, and write an audit entry on its
 * timeline. An interface here, implemented by the tracker, so this package depends only on the
 * incidents API and the tracker's package depends on it, not both ways.
 */
public interface IncidentLedger {

  /** Actor of the entries the exporter writes itself. */
  String SYSTEM = "vigil";

  /** The incident; throws for an unknown ID (the API answers 404). */
  Incident get(String id);

  /** Appends an entry to the incident's timeline without changing its state. */
  void audit(String id, String actor, String action, String note);
}
