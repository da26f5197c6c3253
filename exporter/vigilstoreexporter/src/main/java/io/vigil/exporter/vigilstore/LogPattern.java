package io.vigil.exporter.vigilstore;

/**
 * A log template in a time range: how many records it had, how they spread over the range's
 * buckets ({@code sparkline}), and one record's body as an example.
 */
public record LogPattern(
    String templateId, String template, String service, long count, long[] sparkline,
    String sample) {}
