package io.vigil.analysis.prediction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What responders said about past incidents, read as training feedback from the incidents
 * API's list ({@code GET /api/incidents?state=resolved} saved to a file, or a JSON array of its
 * incidents). Only resolved incidents count: an open one has not been judged yet.
 *
 * <ul>
 *   <li>resolved with category {@value #FALSE_ALARM}: its origin service was healthy from
 *       {@code started_at} to {@code last_evidence_at}. The rows that led up to it are what a
 *       predictor must learn not to alarm on, so training weighs them up (hard negatives).
 *   <li>resolved with category {@value #CAUSED_ELSEWHERE}: the failure was another service's.
 *       Left out: the origin did not fail (labels name only the failing service, as the
 *       faults do), and it was no false alarm either, since something did fail (a failure
 *       predicted on a caller of the failing service, or its real symptoms there).
 *   <li>resolved with any other category: a failure. It becomes a label like a fault of
 *       {@code faults.jsonl}, from {@code started_at} to {@code last_evidence_at} (when the
 *       evidence stopped, not when someone got round to resolving it), so a production
 *       gateway with no fault injector still gets positives.
 * </ul>
 */
public record IncidentFeedback(List<FaultLabel> failures, List<FaultLabel> falseAlarms,
    List<FaultLabel> causedElsewhere) {

  /** The resolution category that marks an incident as not a failure. */
  public static final String FALSE_ALARM = "false_alarm";
  /** The resolution category that puts an incident's failure on another service. */
  public static final String CAUSED_ELSEWHERE = "caused_elsewhere";

  private static final ObjectMapper JSON = new ObjectMapper();

  public static IncidentFeedback none() {
    return new IncidentFeedback(List.of(), List.of(), List.of());
  }

  /**
   * The failures no label of the same service overlaps. A labelled fault already says when its
   * service failed; an incident resolved as that failure starts with its first evidence, which
   * for an incident a prediction opened is minutes before the failure: as a label it would move
   * the failure earlier and teach a model to alarm before the precursor.
   */
  public List<FaultLabel> failuresNotLabelled(List<FaultLabel> labels) {
    List<FaultLabel> out = new ArrayList<>();
    for (FaultLabel f : failures) {
      if (labels.stream().noneMatch(l -> l.service().equals(f.service())
          && l.startNanos() <= f.endNanos() && f.startNanos() <= l.endNanos())) {
        out.add(f);
      }
    }
    return out;
  }

  public static IncidentFeedback read(List<Path> files) throws IOException {
    List<FaultLabel> failures = new ArrayList<>();
    List<FaultLabel> falseAlarms = new ArrayList<>();
    List<FaultLabel> elsewhere = new ArrayList<>();
    for (Path file : files) {
      JsonNode root;
      try {
        root = JSON.readTree(file.toFile());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IOException(file + ": not JSON: " + e.getOriginalMessage());
      }
      JsonNode list = root != null && root.isObject() ? root.get("incidents") : root;
      if (list == null || !list.isArray()) {
        throw new IOException(file + ": expected the incidents API's list ({\"incidents\": [...]})"
            + " or a JSON array of incidents");
      }
      for (int i = 0; i < list.size(); i++) {
        JsonNode n = list.get(i);
        String where = file + ": incidents[" + i + "]";
        if (!"resolved".equals(n.path("state").asText())) {
          continue;
        }
        String service = text(n, "origin", where);
        String category = n.path("resolution").path("category").asText("");
        FaultLabel window;
        try {
          Instant start = Instant.parse(text(n, "started_at", where));
          Instant end = Instant.parse(text(n, "last_evidence_at", where));
          window = new FaultLabel(service, start, end.isBefore(start) ? start : end,
              "incident " + n.path("id").asText());
        } catch (DateTimeParseException e) {
          throw new IOException(where + ": started_at and last_evidence_at must be ISO-8601"
              + " instants (" + e.getParsedString() + ")");
        }
        String c = category.strip().toLowerCase(Locale.ROOT);
        if (c.equals(FALSE_ALARM)) {
          falseAlarms.add(window);
        } else if (c.equals(CAUSED_ELSEWHERE)) {
          elsewhere.add(window);
        } else {
          failures.add(window);
        }
      }
    }
    return new IncidentFeedback(List.copyOf(failures), List.copyOf(falseAlarms),
        List.copyOf(elsewhere));
  }

  private static String text(JsonNode n, String field, String where) throws IOException {
    if (!n.hasNonNull(field) || !n.get(field).isTextual() || n.get(field).asText().isEmpty()) {
      throw new IOException(where + ": needs a string \"" + field + "\"");
    }
    return n.get(field).asText();
  }
}
