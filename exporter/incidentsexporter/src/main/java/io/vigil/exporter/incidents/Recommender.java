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

  /** Like {@link #bind(IncidentHistory)}, with the exporter's {@code knowledge_base}. */
  default void bind(IncidentHistory history, KnowledgeBase knowledgeBase) {
    bind(history);
  }

  /** As {@link CauseClassifier#validate}: a cheap check of the knowledge base it needs. */
  default void validate(KnowledgeBase knowledgeBase) {}

  /**
   * At most {@code k} incidents other than {@code incident}, most similar first. An
   * implementation that learns from resolved incidents should read them from the history at
   * call time, not only at {@link #bind}, so that a resolution a person just wrote is
   * recommended for the next incident like it.
   */
  List<Recommendation> similar(Incident incident, int k);
}
