package io.vigil.analysis.prediction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One labelled fault, as the demo launcher writes it to {@code faults.jsonl}: the service it
 * was injected into, when it failed and when the fault was switched off (UTC), and its kind.
 *
 * <p>{@code start} is when the service began to fail: the fault's start, or its
 * {@code failing_from} for a fault with a precursor (heap_exhaustion leaks for minutes before
 * requests fail). The precursor's rows are then rows ahead of the failure, which is what a
 * predictor must learn from, not rows during it.
 */
public record FaultLabel(String service, Instant start, Instant end, String kind) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public long startNanos() {
    return start.getEpochSecond() * 1_000_000_000L + start.getNano();
  }

  public long endNanos() {
    return end.getEpochSecond() * 1_000_000_000L + end.getNano();
  }

  /**
   * Reads a JSON Lines file of {@code {"service", "start", "end", ...}} objects; blank lines are
   * skipped, other fields ignored.
   *
   * @throws IOException naming the file and line of a line that is not such an object
   */
  public static List<FaultLabel> read(Path file) throws IOException {
    List<FaultLabel> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = file + ":" + (i + 1);
      try {
        JsonNode n = JSON.readTree(line);
        String service = text(n, "service", where);
        Instant start = Instant.parse(text(n, "start", where));
        if (n.has("failing_from")) {
          Instant failing = Instant.parse(text(n, "failing_from", where));
          if (failing.isBefore(start)) {
            throw new IOException(where + ": failing_from " + failing + " is before start "
                + start);
          }
          start = failing;
        }
        Instant end = Instant.parse(text(n, "end", where));
        if (end.isBefore(start)) {
          throw new IOException(where + ": end " + end + " is before start " + start);
        }
        out.add(new FaultLabel(service, start, end,
            n.hasNonNull("kind") ? n.get("kind").asText() : ""));
      } catch (DateTimeParseException e) {
        throw new IOException(where + ": start and end must be ISO-8601 instants ("
            + e.getParsedString() + ")");
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IOException(where + ": not a JSON object: " + e.getOriginalMessage());
      }
    }
    return out;
  }

  private static String text(JsonNode n, String field, String where) throws IOException {
    if (n == null || !n.isObject() || !n.hasNonNull(field) || !n.get(field).isTextual()) {
      throw new IOException(where + ": needs a string \"" + field + "\" (service, start, end as"
          + " faults.jsonl has them)");
    }
    return n.get(field).asText();
  }
}
