package io.vigil.analysis.incidents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads incidents from JSON Lines in the post-mortem format of Li et al. (one object a line:
 * {@code id, title, summary, services, impact_symptom, manifestation, operation,
 * root_cause.labels, mitigation.labels}). Users' own resolved incidents in the same format are
 * read the same way.
 */
public final class IncidentJsonl {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private IncidentJsonl() {}

  public static List<Incident> read(Path file) {
    List<Incident> incidents = new ArrayList<>();
    try (MappingIterator<JsonNode> lines = MAPPER.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (lines.hasNext()) {
        incidents.add(parse(lines.next()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read incidents from " + file, e);
    }
    return incidents;
  }

  static Incident parse(JsonNode n) {
    List<RootCauseLabel> causes = new ArrayList<>();
    for (JsonNode l : n.path("root_cause").path("labels")) {
      causes.add(new RootCauseLabel(text(l.get("layer-1")), text(l.get("layer-2")),
          text(l.get("layer-3"))));
    }
    return new Incident(
        n.path("id").asText(),
        text(n.get("title")),
        text(n.get("summary")),
        strings(n.get("services")),
        strings(n.get("impact_symptom")),
        strings(n.get("manifestation")),
        strings(n.get("operation")),
        causes,
        strings(n.path("mitigation").get("labels")));
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  /**
   * Every string inside a value, in order: manifestations mix plain strings with objects such as
   * {@code {"business kpi": ["error rate", ...]}}, and a label list may be a bare string.
   */
  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    collect(node, out);
    return out;
  }

  private static void collect(JsonNode node, List<String> out) {
    if (node == null || node.isNull()) {
      return;
    }
    if (node.isValueNode()) {
      String s = node.asText().strip();
      if (!s.isEmpty()) {
        out.add(s);
      }
    } else {
      node.forEach(child -> collect(child, out));
    }
  }
}
