package io.vigil.processor.logtemplate;

import io.vigil.analysis.logtemplate.LogTemplate;
import io.vigil.analysis.logtemplate.TemplateMiner;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Saves the mined templates as JSON and restores them, so a template keeps its ID across
 * restarts. Writes go to a temporary file that is then moved over the old one, so a crash
 * mid-write leaves the previous state intact.
 */
final class TemplateStore {

  /** The file's shape. */
  record State(int version, List<Saved> templates) {}

  record Saved(String id, List<String> tokens, long count) {}

  private static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path file;

  TemplateStore(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  void save(TemplateMiner miner) throws IOException {
    List<Saved> saved = new ArrayList<>(miner.size());
    for (LogTemplate t : miner.templates()) {
      saved.add(new Saved(t.idHex(), t.tokens(), t.count()));
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      JSON.writeValue(tmp.toFile(), new State(VERSION, saved));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Restores saved templates into an empty miner, least recently used first so the LRU order
   * survives. Returns how many were restored; a missing file restores none.
   *
   * @throws IOException naming the file and the problem when it cannot be read or is not a
   *     template state file
   */
  int restore(TemplateMiner miner) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    State state;
    try {
      state = JSON.readValue(file.toFile(), State.class);
    } catch (IOException e) {
      throw new IOException(file + " is not a logtemplate state file: " + e.getMessage(), e);
    }
    if (state.version() != VERSION || state.templates() == null) {
      throw new IOException(file + ": unsupported state version " + state.version());
    }
    int n = 0;
    for (Saved s : state.templates()) {
      if (s.id() == null || s.tokens() == null || s.tokens().isEmpty()) {
        throw new IOException(file + ": template " + n + " lacks its id or tokens");
      }
      long id;
      try {
        id = Long.parseUnsignedLong(s.id(), 16);
      } catch (NumberFormatException e) {
        throw new IOException(file + ": template " + n + " has a bad id '" + s.id() + "'");
      }
      String[] tokens = s.tokens().stream()
          .map(x -> x.equals(LogTemplate.WILDCARD) ? LogTemplate.WILDCARD : x)
          .toArray(String[]::new);
      try {
        miner.restore(id, tokens, s.count());
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": " + e.getMessage());
      }
      n++;
    }
    return n;
  }
}
