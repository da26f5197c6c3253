package io.vigil.exporter.incidents.minilm;

import io.vigil.analysis.incidents.EmbeddingCauseClassifier;
import io.vigil.analysis.incidents.HybridRecommender;
import io.vigil.analysis.incidents.LabelledIncident;
import io.vigil.analysis.incidents.SentenceEmbedder;
import io.vigil.core.config.ConfigException;
import io.vigil.exporter.incidents.KnowledgeBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cause classifier and the seed recommender trained on one knowledge base, with the
 * sentence embedder they share. The classifier and the recommender plugins are two instances
 * bound to the same {@code knowledge_base}; one training (and one ONNX session) serves both,
 * hence the per-process cache by knowledge base.
 */
record TrainedModels(SentenceEmbedder embedder, EmbeddingCauseClassifier causes,
    HybridRecommender recommender) {

  static final String CAUSES_FILE = "causes.json";
  static final String RECOMMENDER_FILE = "recommender.json";

  private static final Logger LOG = LoggerFactory.getLogger(TrainedModels.class);
  private static final Map<KnowledgeBase, TrainedModels> CACHE = new HashMap<>();

  /** The models of {@code kb}: loaded from {@code model}, or trained on {@code path}. */
  static synchronized TrainedModels of(KnowledgeBase kb) {
    TrainedModels m = CACHE.get(kb);
    if (m == null) {
      m = kb.model() != null ? load(kb.model()) : train(kb.path());
      CACHE.put(kb, m);
    }
    return m;
  }

  /**
   * Trains both on a post-mortem JSONL file. The classifier's settings are chosen by inner
   * cross-validation on the file itself (EmbeddingCauseClassifier), so a user's own file needs
   * no setting.
   */
  static TrainedModels train(Path jsonl) {
    long t0 = System.nanoTime();
    List<LabelledIncident> incidents = KnowledgeBaseSource.read(jsonl, KnowledgeBase.PATH_KEY);
    SentenceEmbedder embedder = new SentenceEmbedder();
    EmbeddingCauseClassifier causes = EmbeddingCauseClassifier.train(incidents, embedder);
    HybridRecommender recommender = HybridRecommender.train(incidents, embedder);
    LOG.info("incidents minilm: trained on {} past incidents of {} in {} ms (causes: {}; {};"
        + " recommender: {})", incidents.size(), jsonl, (System.nanoTime() - t0) / 1_000_000,
        causes.labels(), causes.settings(), recommender.voting());
    return new TrainedModels(embedder, causes, recommender);
  }

  static TrainedModels load(Path dir) {
    SentenceEmbedder embedder = new SentenceEmbedder();
    try {
      return new TrainedModels(embedder,
          EmbeddingCauseClassifier.load(dir.resolve(CAUSES_FILE), embedder),
          HybridRecommender.load(dir.resolve(RECOMMENDER_FILE), embedder));
    } catch (UncheckedIOException | IllegalArgumentException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ConfigException(KnowledgeBase.MODEL_KEY, "cannot load the model in " + dir + ": "
          + cause.getMessage().lines().findFirst().orElse("")
          + "; train it again with `MiniLmCli train --out " + dir + "`", e);
    }
  }

  /** Writes both models to {@code dir}, for {@code knowledge_base::model}. */
  void save(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    causes.save(dir.resolve(CAUSES_FILE));
    recommender.save(dir.resolve(RECOMMENDER_FILE));
  }
}
