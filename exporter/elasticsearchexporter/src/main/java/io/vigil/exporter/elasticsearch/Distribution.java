package io.vigil.exporter.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;

/** Which engine answers: they differ in how retention is managed (ILM or ISM). */
enum Distribution {
  ELASTICSEARCH,
  OPENSEARCH;

  /** From the body of {@code GET /}: OpenSearch says {@code version.distribution: opensearch}. */
  static Distribution of(JsonNode root) {
    return "opensearch".equals(root.path("version").path("distribution").asText())
        ? OPENSEARCH : ELASTICSEARCH;
  }
}
