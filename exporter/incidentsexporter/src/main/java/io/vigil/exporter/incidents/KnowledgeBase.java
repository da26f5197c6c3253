package io.vigil.exporter.incidents;

import java.nio.file.Path;

/**
 * Where a classifier or recommender finds what it learns from, as the exporter's
 * {@code knowledge_base} block gives it. Both are optional here; an implementation that needs
 * one says so in {@link CauseClassifier#validate} / {@link Recommender#validate}, naming the
 * key ({@link #PATH_KEY} or {@link #MODEL_KEY}).
 *
 * @param path past incidents in JSON Lines (the post-mortem format), trained on at start; null
 *     when not set
 * @param model a model trained from such a file ahead of time (e.g. by a {@code train}
 *     command), loaded instead of training at start; null when not set
 */
public record KnowledgeBase(Path path, Path model) {

  public static final String PATH_KEY = "knowledge_base::path";
  public static final String MODEL_KEY = "knowledge_base::model";

  public static final KnowledgeBase NONE = new KnowledgeBase(null, null);

  public boolean isEmpty() {
    return path == null && model == null;
  }
}
