package io.vigil.analysis.incidents;

/**
 * Predicts an incident's root-cause class from the text known when it is detected (see
 * {@link Incident#detectionText()}).
 */
public interface CauseClassifier {

  CausePrediction classify(String text);
}
