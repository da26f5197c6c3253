package io.vigil.exporter.incidents.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.exporter.incidents.Evidence;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every anomaly record the exporter reads, as JSON Lines ({@code anomalies_file}): what a run's
 * incidents were made from, held signals included, so the run can be replayed offline through
 * a tracker with another opening policy or grouping. Off by default (the file only grows).
 */
public final class AnomalyJournal implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final BufferedWriter out;

  private AnomalyJournal(BufferedWriter out) {
    this.out = out;
  }

  /** Appends to {@code file}, creating it and its directory. */
  public static AnomalyJournal append(Path file) throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    return new AnomalyJournal(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND));
  }

  /** Writes {@code signals} to a new {@code file} (a run's inputs, exported for a replay). */
  public static void writeAll(List<AnomalySignal> signals, Path file) throws IOException {
    Files.deleteIfExists(file);
    try (AnomalyJournal j = append(file)) {
      signals.forEach(j::write);
    }
  }

  public synchronized void write(AnomalySignal s) {
    try {
      out.write(JSON.writeValueAsString(toJson(s)));
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode toJson(AnomalySignal s) {
    Evidence e = s.evidence();
    ObjectNode n = JSON.createObjectNode();
    n.put("key", e.key());
    n.put("signature", e.signature());
    n.put("kind", e.kind());
    n.put("source", e.source());
    n.put("service", e.service());
    n.put("series", e.series());
    n.put("template_id", e.templateId());
    n.put("template", e.template());
    n.put("body", e.body());
    n.put("score", e.score());
    n.put("window_start", e.windowStart().toString());
    n.put("window_end", e.windowEnd().toString());
    ArrayNode traces = n.putArray("trace_ids");
    e.traceIds().forEach(traces::add);
    n.put("received", e.received().toString());
    n.put("severity_number", s.severityNumber());
    if (e.traceOrigin() != null) {
      n.put("trace_origin", e.traceOrigin());
    }
    return n;
  }

  /** Reads a journal, in order. */
  public static List<AnomalySignal> read(Path file) throws IOException {
    List<AnomalySignal> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        out.add(fromJson(JSON.readTree(line)));
      }
    }
    return out;
  }

  static AnomalySignal fromJson(JsonNode n) {
    List<String> traces = new ArrayList<>();
    n.path("trace_ids").forEach(t -> traces.add(t.asText()));
    Evidence e = new Evidence(n.get("key").asText(), n.get("signature").asText(),
        n.get("kind").asText(), n.get("source").asText(), n.get("service").asText(),
        text(n, "series"), text(n, "template_id"), text(n, "template"), n.path("body").asText(""),
        n.hasNonNull("score") ? n.get("score").asDouble() : null,
        Instant.parse(n.get("window_start").asText()), Instant.parse(n.get("window_end").asText()),
        traces, Instant.parse(n.get("received").asText()), text(n, "trace_origin"));
    return new AnomalySignal(e,
        n.hasNonNull("severity_number") ? n.get("severity_number").asInt() : null);
  }

  private static String text(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asText() : null;
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
