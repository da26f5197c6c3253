package io.vigil.exporter.incidents;

import java.util.List;

/**
 * Finds past incidents similar to one, for {@code GET /api/incidents/{id}/similar}: what was
 * done last time is the recommendation.
 *
 * <p>Found with {@link java.util.ServiceLoader} and chosen by {@link #name()} with the
 * exporter's {@code recommender} key, like {@link CauseClassifier}. The built-in {@code none}
 * recommends nothing.
 */
public interface Recommender {

  String name();

  /** Called once when the exporter starts, before any {@link #similar}. */
  default void bind(IncidentHistory history) {}

  /** At most {@code k} incidents other than {@code incident}, most similar first. */
  List<Recommendation> similar(Incident incident, int k);
}
