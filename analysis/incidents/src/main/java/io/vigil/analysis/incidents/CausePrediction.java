package io.vigil.analysis.incidents;

/** A predicted cause label and the classifier's confidence in it, in [0, 1]. */
public record CausePrediction(String label, double confidence) {}
