package io.vigil.eval.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One injected fault, as the demo's traffic generator writes it to {@code faults.jsonl}.
 *
 * @param failingFrom for a fault with a precursor (heap_exhaustion), when its service began to
 *     fail after minutes of warning signs; null for the faults that fail from their start
 */
public record FaultLabel(String service, String kind, Instant start, Instant end,
    Instant failingFrom) {

  public FaultLabel(String service, String kind, Instant start, Instant end) {
    this(service, kind, start, end, null);
  }

  /** When the service began to fail: what time to detect counts from. */
  public Instant failureStart() {
    return failingFrom == null ? start : failingFrom;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  public static List<FaultLabel> read(Path faultsJsonl) throws IOException {
    List<FaultLabel> out = new ArrayList<>();
    for (String line : Files.readAllLines(faultsJsonl)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = JSON.readTree(line);
      out.add(new FaultLabel(n.path("service").asText(), n.path("kind").asText(),
          Instant.parse(n.path("start").asText()), Instant.parse(n.path("end").asText()),
          n.hasNonNull("failing_from") ? Instant.parse(n.get("failing_from").asText()) : null));
    }
    return out;
  }
}
