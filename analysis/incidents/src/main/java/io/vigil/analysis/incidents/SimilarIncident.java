package io.vigil.analysis.incidents;

import java.util.Set;

/** A past incident found similar to a new one, with its fused similarity score. */
public record SimilarIncident(String id, double score, String cause, Set<String> resolutions) {}
