package io.vigil.exporter.vigilstore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Where the console's incidents view reads incidents, changes their state and sends chat
 * messages: the {@code incidents} exporter's HTTP API
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

  /**
   * Changes an incident: {@code acknowledge}, {@code resolve} or {@code reopen} with the body
   * the incidents API defines ({@code by}, {@code note}, {@code category}); answers the incident
   * as it is after the change, or the incidents API's refusal (409 for a state that does not
   * allow it, 400 naming a missing field).
   */
  ConsoleApi.Answer act(String id, String action, ObjectNode body);

  /** The resolution categories to offer ({@code {categories: [{name, resolved}]}}). */
  ConsoleApi.Answer categories();

  /**
   * One chat message ({@code {text, by}}) to the incidents exporter's chat, which decides what
   * it may run: free text never changes anything there.
   */
  ConsoleApi.Answer chat(ObjectNode message);

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

    @Override
    public ConsoleApi.Answer act(String id, String action, ObjectNode body) {
      return ConsoleApi.error(404, HINT);
    }

    @Override
    public ConsoleApi.Answer categories() {
      return ConsoleApi.error(404, HINT);
    }

    @Override
    public ConsoleApi.Answer chat(ObjectNode message) {
      return ConsoleApi.error(404, HINT);
    }
  };
}
