package io.vigil.demo.traffic;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels later evaluations score against: one JSON line per injected fault, written when it
 * ends, with the service, the kind, its parameters and the start and end instants (UTC); for a
 * fault with a precursor (heap_exhaustion) also {@code failing_from}, when its service began to
 * fail, which failure prediction labels count from.
 */
public final class GroundTruthLog implements AutoCloseable {

  private final JsonLinesFile out;

  public GroundTruthLog(Path file) throws IOException {
    this.out = new JsonLinesFile(file);
  }

  void record(String scenario, Scenario.FaultStep step, Instant start, Instant end) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("scenario", scenario);
    line.put("service", step.service());
    line.put("kind", step.kind());
    line.put("params", step.params());
    line.put("start", start.toString());
    line.put("end", end.toString());
    if (step.failingAfter() != null) {
      line.put("failing_from", start.plus(step.failingAfter()).toString());
    }
    out.write(line);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
