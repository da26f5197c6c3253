/**
 * The elasticsearch exporter: logs and spans into Elasticsearch or OpenSearch through the
 * {@code _bulk} API, in Elastic Common Schema or OpenTelemetry field names, with index
 * templates and an ILM/ISM retention policy installed at start.
 */
package io.vigil.exporter.elasticsearch;
