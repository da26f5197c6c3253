/**
 * The {@code vigilstore} exporter: an embedded telemetry store on local disk (one Lucene index
 * per hour of data, deleted whole for retention), the {@link
 * io.vigil.exporter.vigilstore.TelemetryQuery} interface over it (and over Elasticsearch /
 * OpenSearch), and the console that serves those queries as JSON and HTML.
 */
package io.vigil.exporter.vigilstore;
