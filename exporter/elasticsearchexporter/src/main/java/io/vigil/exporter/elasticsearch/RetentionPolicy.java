package io.vigil.exporter.elasticsearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * The retention policy as the engine wants it: an ILM policy for Elasticsearch, an ISM policy
 * for OpenSearch. Data streams roll over (by age or size) and indices are deleted after
 * {@code delete_after}; dated indices only need the delete, a new index starts every day.
 */
final class RetentionPolicy {

  private final ElasticsearchExporterConfig.Retention config;
  private final boolean rollover;

  /** @param rollover true when writing to data streams */
  RetentionPolicy(ElasticsearchExporterConfig.Retention config, boolean rollover) {
    this.config = config;
    this.rollover = rollover;
  }

  String name() {
    return config.policyName;
  }

  /** Body of {@code PUT _ilm/policy/<name>}. */
  ObjectNode ilm() {
    ObjectNode body = AnyValues.JSON.objectNode();
    ObjectNode phases = body.putObject("policy").putObject("phases");
    ObjectNode hot = phases.putObject("hot");
    hot.put("min_age", "0ms");
    ObjectNode actions = hot.putObject("actions");
    if (rollover) {
      ObjectNode ro = actions.putObject("rollover");
      ro.put("max_age", units(config.rolloverMaxAge));
      if (!config.rolloverMaxSize.isEmpty()) {
        ro.put("max_size", config.rolloverMaxSize);
      }
    }
    ObjectNode delete = phases.putObject("delete");
    // With rollover, ILM counts a phase's min_age from the rollover: "delete N after rollover".
    delete.put("min_age", units(config.deleteAfter));
    delete.putObject("actions").putObject("delete");
    return body;
  }

  /**
   * Body of {@code PUT _plugins/_ism/policies/<name>}; its {@code ism_template} attaches it to
   * new indices matching {@code indexPatterns} (for data streams, their backing indices).
   */
  ObjectNode ism(List<String> indexPatterns) {
    ObjectNode body = AnyValues.JSON.objectNode();
    ObjectNode policy = body.putObject("policy");
    policy.put("description", "Vigil: " + (rollover ? "roll over after "
        + units(config.rolloverMaxAge) + (config.rolloverMaxSize.isEmpty() ? ""
        : " or " + config.rolloverMaxSize) + ", " : "") + "delete after "
        + units(config.deleteAfter));
    policy.put("default_state", "hot");
    ArrayNode states = policy.putArray("states");
    ObjectNode hot = states.addObject();
    hot.put("name", "hot");
    ArrayNode hotActions = hot.putArray("actions");
    if (rollover) {
      ObjectNode ro = hotActions.addObject().putObject("rollover");
      ro.put("min_index_age", units(config.rolloverMaxAge));
      if (!config.rolloverMaxSize.isEmpty()) {
        ro.put("min_size", config.rolloverMaxSize);
      }
    }
    ObjectNode toDelete = hot.putArray("transitions").addObject();
    toDelete.put("state_name", "delete");
    toDelete.putObject("conditions").put("min_index_age", units(config.deleteAfter));
    ObjectNode delete = states.addObject();
    delete.put("name", "delete");
    delete.putArray("actions").addObject().putObject("delete");
    delete.putArray("transitions");
    ObjectNode template = policy.putArray("ism_template").addObject();
    ArrayNode patterns = template.putArray("index_patterns");
    indexPatterns.forEach(patterns::add);
    template.put("priority", 100);
    return body;
  }

  /** A duration in the engine's time units, in the largest unit that is exact: 7d, 36h, 90s. */
  static String units(Duration d) {
    long ms = d.toMillis();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms % sizes[i] == 0) {
        return ms / sizes[i] + names[i];
      }
    }
    return ms + "ms";
  }
}
