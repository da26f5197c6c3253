package io.vigil.exporter.incidents;

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

  /** The probable cause; must not throw for any text (an unsure answer has low confidence). */
  Classification classify(IncidentText incident);
}
