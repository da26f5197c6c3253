package io.vigil.analysis.incidents;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Cause classifier: a softmax regression with L2 regularisation and balanced class weights over
 * the all-MiniLM-L6-v2 sentence embedding of an incident's detection-time text. The L2 penalty
 * is chosen by stratified inner cross-validation on the training incidents only, so training
 * on a user's own resolved incidents needs no setting. Saves to and loads from JSON.
 */
public final class EmbeddingCauseClassifier implements CauseClassifier {

  /** Settings of the trainer; {@link #defaults()} were fixed before any evaluation. */
  public record Options(double[] l2Grid, int innerFolds, long seed, boolean balanced,
      int iterations) {
    public static Options defaults() {
      return new Options(new double[] {1.0, 0.3, 0.1, 0.03, 0.01}, 4, 20261128L, true, 300);
    }

    public Options withBalanced(boolean b) {
      return new Options(l2Grid, innerFolds, seed, b, iterations);
    }

    public Options withL2Grid(double... grid) {
      return new Options(grid, innerFolds, seed, balanced, iterations);
    }
  }

  /** What {@link #save} writes: the model and the name of the embedder it expects. */
  record Saved(String embedder, SoftmaxRegression model) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final SentenceEmbedder embedder;
  private final SoftmaxRegression model;

  private EmbeddingCauseClassifier(SentenceEmbedder embedder, SoftmaxRegression model) {
    this.embedder = embedder;
    this.model = model;
  }

  public static EmbeddingCauseClassifier train(List<LabelledIncident> incidents,
      SentenceEmbedder embedder) {
    return train(incidents, embedder, Options.defaults());
  }

  public static EmbeddingCauseClassifier train(List<LabelledIncident> incidents,
      SentenceEmbedder embedder, Options options) {
    List<LabelledIncident> labelled = incidents.stream().filter(i -> i.cause() != null).toList();
    if (labelled.isEmpty()) {
      throw new IllegalArgumentException("no incident with a cause label to train on");
    }
    embedder.embedAll(labelled.stream().map(LabelledIncident::text).toList()); // warms the cache
    int best = InnerCrossValidation.choose(labelled, options.l2Grid().length,
        options.innerFolds(), options.seed(),
        (train, g) -> fit(train, embedder, options, options.l2Grid()[g]));
    return fit(labelled, embedder, options, options.l2Grid()[best]);
  }

  private static EmbeddingCauseClassifier fit(List<LabelledIncident> labelled,
      SentenceEmbedder embedder, Options options, double l2) {
    List<float[]> x = embedder.embedAll(labelled.stream().map(LabelledIncident::text).toList());
    List<String> y = labelled.stream().map(LabelledIncident::cause).toList();
    SoftmaxRegression model =
        new SoftmaxRegressionTrainer(l2, options.balanced(), options.iterations()).train(x, y);
    return new EmbeddingCauseClassifier(embedder, model);
  }

  /** The L2 penalty inner cross-validation chose. */
  public double l2() {
    return model.l2();
  }

  public List<String> labels() {
    return model.labels();
  }

  @Override
  public CausePrediction classify(String text) {
    double[] p = model.probabilities(embedder.embed(text));
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      if (p[c] > p[best]) {
        best = c;
      }
    }
    return new CausePrediction(model.labels().get(best), p[best]);
  }

  public void save(Path file) {
    try {
      JSON.writeValue(file.toFile(), new Saved(SentenceEmbedder.MODEL_NAME, model));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the classifier to " + file, e);
    }
  }

  public static EmbeddingCauseClassifier load(Path file, SentenceEmbedder embedder) {
    try {
      Saved saved = JSON.readValue(file.toFile(), Saved.class);
      if (!SentenceEmbedder.MODEL_NAME.equals(saved.embedder())) {
        throw new IllegalArgumentException(file + " was trained on " + saved.embedder()
            + " embeddings, not " + SentenceEmbedder.MODEL_NAME);
      }
      return new EmbeddingCauseClassifier(embedder, saved.model());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load a classifier from " + file, e);
    }
  }
}
