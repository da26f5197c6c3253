package io.vigil.analysis.incidents;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Cause classifier: a softmax regression with L2 regularisation (and optionally balanced class
 * weights) over
 * the all-MiniLM-L6-v2 sentence embedding of an incident's detection-time text. The L2 penalty
 * and whether to weight classes are chosen by stratified inner cross-validation on the training
 * incidents only, so training on a user's own resolved incidents needs no setting. Saves to and
 * loads from JSON.
 */
public final class EmbeddingCauseClassifier implements CauseClassifier {

  /**
   * Settings of the trainer. Inner cross-validation picks one L2 penalty and one class
   * weighting from the grids (balanced weights help rare causes but may cost the common ones;
   * which wins depends on the data, so the training data decides). {@code perField}: embed each
   * line of the text (each field of {@link Incident#detectionText()}) on its own and average,
   * so that a long summary does not drown the services and symptoms.
   */
  public record Options(double[] l2Grid, boolean[] balancedGrid, int innerFolds, long seed,
      int iterations, boolean perField) {
    /** Fixed before any evaluation. */
    public static Options defaults() {
      return new Options(new double[] {1.0, 0.3, 0.1, 0.03, 0.01}, new boolean[] {true, false},
          4, 20261128L, 300, false);
    }

    public Options withBalanced(boolean... grid) {
      return new Options(l2Grid, grid, innerFolds, seed, iterations, perField);
    }

    public Options withL2Grid(double... grid) {
      return new Options(grid, balancedGrid, innerFolds, seed, iterations, perField);
    }

    public Options withPerField(boolean p) {
      return new Options(l2Grid, balancedGrid, innerFolds, seed, iterations, p);
    }

    public Options withInnerFolds(int folds, long seed) {
      return new Options(l2Grid, balancedGrid, folds, seed, iterations, perField);
    }
  }

  /** What {@link #save} writes: the model and the name of the embedder it expects. */
  record Saved(String embedder, boolean perField, boolean balanced, SoftmaxRegression model) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final SentenceEmbedder embedder;
  private final SoftmaxRegression model;
  private final boolean perField;
  private final boolean balanced;

  private EmbeddingCauseClassifier(SentenceEmbedder embedder, SoftmaxRegression model,
      boolean perField, boolean balanced) {
    this.embedder = embedder;
    this.model = model;
    this.perField = perField;
    this.balanced = balanced;
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
    int l2s = options.l2Grid().length;
    int candidates = l2s * options.balancedGrid().length;
    int best = InnerCrossValidation.choose(labelled, candidates, options.innerFolds(),
        options.seed(), (train, g) -> fit(train, embedder, options, options.l2Grid()[g % l2s],
            options.balancedGrid()[g / l2s]));
    return fit(labelled, embedder, options, options.l2Grid()[best % l2s],
        options.balancedGrid()[best / l2s]);
  }

  private static EmbeddingCauseClassifier fit(List<LabelledIncident> labelled,
      SentenceEmbedder embedder, Options options, double l2, boolean balanced) {
    List<float[]> x = labelled.stream()
        .map(i -> features(embedder, options.perField(), i.text())).toList();
    List<String> y = labelled.stream().map(LabelledIncident::cause).toList();
    SoftmaxRegression model =
        new SoftmaxRegressionTrainer(l2, balanced, options.iterations()).train(x, y);
    return new EmbeddingCauseClassifier(embedder, model, options.perField(), balanced);
  }

  private static float[] features(SentenceEmbedder embedder, boolean perField, String text) {
    if (!perField) {
      return embedder.embed(text);
    }
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      return embedder.embed(text);
    }
    float[] mean = new float[SentenceEmbedder.DIMENSION];
    for (float[] v : embedder.embedAll(lines)) {
      for (int j = 0; j < mean.length; j++) {
        mean[j] += v[j] / lines.size();
      }
    }
    return mean;
  }

  /** Whether inner cross-validation chose balanced class weights. */
  public boolean balanced() {
    return balanced;
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
    double[] p = model.probabilities(features(embedder, perField, text));
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
      JSON.writeValue(file.toFile(), new Saved(SentenceEmbedder.MODEL_NAME, perField, balanced, model));
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
      return new EmbeddingCauseClassifier(embedder, saved.model(), saved.perField(),
          saved.balanced());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load a classifier from " + file, e);
    }
  }
}
