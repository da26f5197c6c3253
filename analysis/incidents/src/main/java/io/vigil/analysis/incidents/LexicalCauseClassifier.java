package io.vigil.analysis.incidents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.lucene.classification.ClassificationResult;
import org.apache.lucene.classification.KNearestNeighborClassifier;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.util.BytesRef;

/**
 * Lexical baseline: Lucene's k-nearest-neighbour classifier, neighbours found by BM25 over the
 * words of the incident texts (MoreLikeThis query built from the incoming text). k is chosen by
 * inner cross-validation on the training incidents only, like the embedding classifier's
 * regularisation, so the two are compared on equal terms.
 */
public final class LexicalCauseClassifier implements CauseClassifier {

  /** Candidate neighbour counts, fixed before any evaluation. */
  public static final int[] K_GRID = {1, 3, 5, 9, 15};

  private final KNearestNeighborClassifier knn;
  private final int k;

  private LexicalCauseClassifier(List<LabelledIncident> labelled, int k) {
    this.k = k;
    Bm25Index index = new Bm25Index(labelled.stream().map(LabelledIncident::text).toList(),
        labelled.stream().map(LabelledIncident::cause).toList());
    try {
      // minDocsFreq / minTermFreq 1: with a few hundred short texts, MoreLikeThis' defaults
      // (5 / 2) would discard most of the words.
      knn = new KNearestNeighborClassifier(index.reader(), new BM25Similarity(), index.analyzer(),
          null, k, 1, 1, Bm25Index.LABEL, Bm25Index.TEXT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static LexicalCauseClassifier train(List<LabelledIncident> incidents) {
    return train(incidents, 4, 20261128L);
  }

  public static LexicalCauseClassifier train(List<LabelledIncident> incidents, int innerFolds,
      long seed) {
    List<LabelledIncident> labelled = incidents.stream().filter(i -> i.cause() != null).toList();
    int best = InnerCrossValidation.choose(labelled, K_GRID.length, innerFolds, seed,
        (train, g) -> new LexicalCauseClassifier(train, K_GRID[g]));
    return new LexicalCauseClassifier(labelled, K_GRID[best]);
  }

  public int k() {
    return k;
  }

  @Override
  public CausePrediction classify(String text) {
    try {
      ClassificationResult<BytesRef> r = knn.assignClass(text);
      if (r == null || r.getAssignedClass() == null) {
        return new CausePrediction(null, 0);
      }
      return new CausePrediction(r.getAssignedClass().utf8ToString(),
          Math.max(0, Math.min(1, r.getScore())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
