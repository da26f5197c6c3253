package io.vigil.analysis.incidents;

/**
 * A recommended resolution category ({@link ResolutionCategory} name when trained with Vigil's
 * taxonomy) and its score; higher is better, comparable only within one recommendation.
 */
public record RankedResolution(String category, double score) {}
