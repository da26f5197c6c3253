package io.vigil.analysis.incidents;

import java.util.List;

/** Finds past incidents like a new one and ranks the resolutions that ended them. */
public interface Recommender {

  /** The k most similar past incidents to an incident's detection-time text, best first. */
  List<SimilarIncident> similar(String text, int k);

  default List<SimilarIncident> similar(Incident incident, int k) {
    return similar(incident.detectionText(), k);
  }

  /** The k best resolution categories for an incident's detection-time text, best first. */
  List<RankedResolution> recommend(String text, int k);

  default List<RankedResolution> recommend(Incident incident, int k) {
    return recommend(incident.detectionText(), k);
  }
}
