package io.vigil.exporter.vigilstore;

import java.util.Map;

/**
 * Where the console's incidents view reads incidents: the {@code incidents} exporter's HTTP API
 * ({@link IncidentsApiClient}), or nowhere ({@link #NOT_CONFIGURED}). An interface rather than
 * a dependency on that exporter's module, so the two components stay independent.
 */
interface IncidentSource {

  /** Incidents matching {@code state}, {@code service}, {@code since}, {@code limit}. */
  ConsoleApi.Answer list(Map<String, String> parameters);

  /** One incident with evidence, links and timeline; 404 when unknown. */
  ConsoleApi.Answer incident(String id);

  /** Past incidents like this one (the incidents exporter's recommender). */
  ConsoleApi.Answer similar(String id, int k);

  /** No {@code console::incidents_api}: an empty list that says so, and 404 for the rest. */
  IncidentSource NOT_CONFIGURED = new IncidentSource() {
    private static final String HINT = "incidents are not configured: set"
        + " console::incidents_api to the incidents exporter's API";

    @Override
    public ConsoleApi.Answer list(Map<String, String> parameters) {
      return ConsoleApi.ok(LuceneDocuments.JSON.createObjectNode().put("configured", false)
          .put("hint", HINT).put("count", 0).set("incidents",
              LuceneDocuments.JSON.createArrayNode()));
    }

    @Override
    public ConsoleApi.Answer incident(String id) {
      return ConsoleApi.error(404, HINT);
    }

    @Override
    public ConsoleApi.Answer similar(String id, int k) {
      return ConsoleApi.error(404, HINT);
    }
  };
}
