package io.vigil.exporter.incidents;

import java.util.List;

/**
 * Says what probably caused an incident. The exporter asks when it opens an incident and when
 * {@code POST /api/incidents/{id}/reclassify} is called, and stores the answer.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.vigil.exporter.incidents.CauseClassifier}) and chosen by
 * {@link #name()} with the exporter's {@code classifier} key. The built-in {@code none} answers
 * {@link Classification#UNCLASSIFIED}.
 */
public interface CauseClassifier {

  /** The name the {@code classifier} config key selects this implementation by. */
  String name();

  /**
   * Called once when the exporter starts, before any {@link #classify}, with the stored
   * incidents (resolved ones carry the category a person gave: labelled examples).
   */
  default void bind(IncidentHistory history) {}

  /**
   * Like {@link #bind(IncidentHistory)}, with the exporter's {@code knowledge_base}; the
   * exporter calls this one. Throw {@link io.vigil.core.config.ConfigException} naming the
   * key ({@link KnowledgeBase#PATH_KEY}) when what it points at cannot be used.
   */
  default void bind(IncidentHistory history, KnowledgeBase knowledgeBase) {
    bind(history);
  }

  /**
   * Checks, when the config is validated (before anything starts), that the knowledge base
   * this implementation needs is configured and readable; throws {@link
   * io.vigil.core.config.ConfigException} naming the key otherwise. Must be cheap: no training.
   */
  default void validate(KnowledgeBase knowledgeBase) {}

  /** The probable cause; must not throw for any text (an unsure answer has low confidence). */
  Classification classify(IncidentText incident);

  /**
   * The cause classes this classifier can answer, once bound; offered as resolution categories
   * (a resolution's category is the cause a person gives, the label classifiers learn from).
   * Empty when it does not know them ({@code none}).
   */
  default List<String> labels() {
    return List.of();
  }
}
