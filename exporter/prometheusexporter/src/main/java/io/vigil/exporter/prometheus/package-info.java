/**
 * The prometheus exporter: OTLP metrics turned into Prometheus series (the OpenTelemetry
 * specification's "Prometheus and OpenMetrics Compatibility" rules) and served on a scrape
 * endpoint in the OpenMetrics or Prometheus text format, with exemplars carrying trace IDs.
 */
package io.vigil.exporter.prometheus;
