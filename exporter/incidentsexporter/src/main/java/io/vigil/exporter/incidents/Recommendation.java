package io.vigil.exporter.incidents;

/**
 * A past incident similar to the one at hand, with how it was resolved.
 *
 * @param similarity from 0 (unrelated) to 1 (the same)
 * @param resolution how the past incident was resolved, or null if it is not resolved
 */
public record Recommendation(String incidentId, double similarity, String title,
    Resolution resolution) {}
