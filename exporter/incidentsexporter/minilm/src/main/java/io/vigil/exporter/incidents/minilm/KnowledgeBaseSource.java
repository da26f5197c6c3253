package io.vigil.exporter.incidents.minilm;

import io.vigil.analysis.incidents.Incident;
import io.vigil.analysis.incidents.IncidentJsonl;
import io.vigil.analysis.incidents.LabelledIncident;
import io.vigil.core.config.ConfigException;
import io.vigil.exporter.incidents.KnowledgeBase;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks and reads the {@code knowledge_base} block for the {@code minilm} plugins: exactly one
 * of {@code path} (post-mortem JSON Lines, trained on at start) and {@code model} (a directory
 * written by {@code MiniLmCli train}). Every refusal names the key.
 */
final class KnowledgeBaseSource {

  /** What the post-mortem format needs for training, said in the error messages. */
  static final String FORMAT = "JSON Lines, one past incident a line, with title, summary,"
      + " services, impact_symptom, manifestation, root_cause.labels and mitigation.labels"
      + " (the post-mortem format of analysis/incidents)";

  private KnowledgeBaseSource() {}

  /** Cheap checks for config validation: the files are there and the JSONL parses. */
  static void validate(KnowledgeBase kb, String plugin) {
    if (kb.path() != null && kb.model() != null) {
      throw new ConfigException(KnowledgeBase.MODEL_KEY, "set either knowledge_base::path (train"
          + " at start) or knowledge_base::model (trained ahead), not both");
    }
    if (kb.isEmpty()) {
      throw new ConfigException(KnowledgeBase.PATH_KEY, "required by \"" + plugin + "\": a file"
          + " of past incidents to learn from (" + FORMAT + "), or knowledge_base::model");
    }
    if (kb.model() != null) {
      for (String file : List.of(TrainedModels.CAUSES_FILE, TrainedModels.RECOMMENDER_FILE)) {
        if (!Files.isRegularFile(kb.model().resolve(file))) {
          throw new ConfigException(KnowledgeBase.MODEL_KEY, "no " + file + " in " + kb.model()
              + ": point it at a directory written by `MiniLmCli train --out`");
        }
      }
    } else {
      read(kb.path(), KnowledgeBase.PATH_KEY);
    }
  }

  /** The labelled incidents of a JSONL file; refuses a missing, unreadable or unusable one. */
  static List<LabelledIncident> read(Path file, String keyPath) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(keyPath, "no such file: " + file.toAbsolutePath()
          + " (expected " + FORMAT + ")");
    }
    List<Incident> incidents;
    try {
      incidents = IncidentJsonl.read(file);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ConfigException(keyPath, "cannot read " + file + ": "
          + cause.getMessage().lines().findFirst().orElse("") + " (expected " + FORMAT + ")", e);
    }
    List<LabelledIncident> labelled = incidents.stream().map(LabelledIncident::of).toList();
    if (labelled.stream().noneMatch(i -> i.cause() != null)) {
      throw new ConfigException(keyPath, file + " has " + incidents.size() + " incidents but"
          + " none with a root_cause.labels entry that maps to a cause class; nothing to learn"
          + " from (expected " + FORMAT + ")");
    }
    return labelled;
  }
}
