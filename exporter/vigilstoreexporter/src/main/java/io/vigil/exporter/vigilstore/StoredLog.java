package io.vigil.exporter.vigilstore;

import java.util.Map;

/**
 * A log record as the store keeps it and the API returns it. {@code templateId} and
 * {@code template} are the {@code log.template.id} / {@code log.template} attributes the
 * {@code logtemplate} processor sets (empty when the record was not mined).
 */
public record StoredLog(
    long timeNanos,
    String service,
    int severityNumber,
    String severityText,
    String body,
    String traceId,
    String spanId,
    String templateId,
    String template,
    Map<String, Object> attributes) {}
