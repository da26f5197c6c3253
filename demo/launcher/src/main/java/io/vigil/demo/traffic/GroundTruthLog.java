package io.vigil.demo.traffic;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels later evaluations score against: one JSON line per injected fault, written when it
 * ends, with the service, the kind, its parameters and the start and end instants (UTC).
 */
public final class GroundTruthLog implements AutoCloseable {

  private final ObjectMapper json = new ObjectMapper();
  private final Writer out;

  public GroundTruthLog(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  synchronized void record(String scenario, Scenario.FaultStep step, Instant start, Instant end) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("scenario", scenario);
    line.put("service", step.service());
    line.put("kind", step.kind());
    line.put("params", step.params());
    line.put("start", start.toString());
    line.put("end", end.toString());
    try {
      out.write(json.writeValueAsString(line));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
