package io.vigil.exporter.alerts;

import java.util.List;

/**
 * One alert raised from an anomaly record. Its key (service and template, or service and kind
 * when the anomaly has no template) is what de-duplication compares, so the several anomalies
 * one incident causes (a new error template that also surges) make one alert.
 */
record Alert(String key, String service, String kind, String source, String templateId,
    String template, String summary, long startUnixNano, List<String> traceIds) {}
