package io.vigil.eval.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One injected fault, as the demo's traffic generator writes it to {@code faults.jsonl}. */
public record FaultLabel(String service, String kind, Instant start, Instant end) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static List<FaultLabel> read(Path faultsJsonl) throws IOException {
    List<FaultLabel> out = new ArrayList<>();
    for (String line : Files.readAllLines(faultsJsonl)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = JSON.readTree(line);
      out.add(new FaultLabel(n.path("service").asText(), n.path("kind").asText(),
          Instant.parse(n.path("start").asText()), Instant.parse(n.path("end").asText())));
    }
    return out;
  }
}
