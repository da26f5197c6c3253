package io.vigil.analysis.incidents;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Cause classifier over the all-MiniLM-L6-v2 sentence embedding of an incident's detection-time
 * text: a softmax regression with L2 regularisation (optionally balanced class weights and,
 * optionally, TF-IDF features beside the embedding), whose probabilities may be mixed with two
 * cheap opinions: a vote of the nearest training incidents (cosine kNN) and a zero-shot prior
 * from the embedded description of each class. Every setting (penalty, weighting, joint or
 * per-field embedding, lexical features, mixing weights) is chosen by stratified inner
 * cross-validation on the training incidents only, so training on a user's own resolved
 * incidents needs no setting. Saves to and loads from JSON.
 */
public final class EmbeddingCauseClassifier implements CauseClassifier {

  /** Neighbours that vote, and the temperature of their cosine weights; fixed, not searched. */
  static final int NEIGHBOURS = 10;

  static final double NEIGHBOUR_TEMPERATURE = 0.1;
  /** Temperature of the softmax over cosines to the class descriptions. */
  static final double PRIOR_TEMPERATURE = 0.05;
  /** Size of the TF-IDF vocabulary when lexical features are used. */
  static final int LEXICAL_TERMS = 300;

  /**
   * Grids searched by inner cross-validation; each grid lists its simplest setting first (ties
   * go to it). {@code perFieldGrid}: embed each line of the text (each field of {@link
   * Incident#detectionText()}) on its own and average, so that a long summary does not drown the
   * services and symptoms. {@code lexicalGrid}: append TF-IDF features to the embedding. {@code
   * neighbourWeights} and {@code priorWeights}: the share of the kNN vote and of the class
   * description prior in the mixed probabilities (the regression keeps the rest; pairs summing to
   * 1 or more are skipped).
   */
  public record Options(double[] l2Grid, boolean[] balancedGrid, boolean[] perFieldGrid,
      boolean[] lexicalGrid, double[] neighbourWeights, double[] priorWeights, int innerFolds,
      long seed, int iterations) {

    /** Fixed before the evaluation of the round that introduced them (docs/evaluation.md). */
    public static Options defaults() {
      return new Options(new double[] {1.0, 0.3, 0.1, 0.03, 0.01}, new boolean[] {true, false},
          new boolean[] {false, true}, new boolean[] {false}, new double[] {0, 0.25, 0.5},
          new double[] {0, 0.25, 0.5}, 4, 20261128L, 300);
    }

    /** The first default: the regression alone on the joint embedding. */
    public static Options regressionOnly() {
      return defaults().withPerField(false).withNeighbourWeights(0).withPriorWeights(0);
    }

    public Options withBalanced(boolean... grid) {
      return new Options(l2Grid, grid, perFieldGrid, lexicalGrid, neighbourWeights,
          priorWeights, innerFolds, seed, iterations);
    }

    public Options withL2Grid(double... grid) {
      return new Options(grid, balancedGrid, perFieldGrid, lexicalGrid, neighbourWeights,
          priorWeights, innerFolds, seed, iterations);
    }

    public Options withPerField(boolean... grid) {
      return new Options(l2Grid, balancedGrid, grid, lexicalGrid, neighbourWeights,
          priorWeights, innerFolds, seed, iterations);
    }

    public Options withLexical(boolean... grid) {
      return new Options(l2Grid, balancedGrid, perFieldGrid, grid, neighbourWeights,
          priorWeights, innerFolds, seed, iterations);
    }

    public Options withNeighbourWeights(double... grid) {
      return new Options(l2Grid, balancedGrid, perFieldGrid, lexicalGrid, grid, priorWeights,
          innerFolds, seed, iterations);
    }

    public Options withPriorWeights(double... grid) {
      return new Options(l2Grid, balancedGrid, perFieldGrid, lexicalGrid, neighbourWeights,
          grid, innerFolds, seed, iterations);
    }

    public Options withInnerFolds(int folds, long seed) {
      return new Options(l2Grid, balancedGrid, perFieldGrid, lexicalGrid, neighbourWeights,
          priorWeights, folds, seed, iterations);
    }
  }

  /** One regression setting of the grid. */
  private record Setting(double l2, boolean balanced, boolean perField, boolean lexical) {}

  /**
   * What {@link #save} writes: the model, the name of the embedder it expects, and what the
   * mixing needs (training vectors and labels for the vote, one description vector per label).
   */
  record Saved(String embedder, boolean perField, boolean balanced, SoftmaxRegression model,
      TfIdfVectorizer lexical, double neighbourWeight, double priorWeight,
      List<float[]> neighbours, List<String> neighbourLabels, List<float[]> prototypes) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final SentenceEmbedder embedder;
  private final Saved state;

  private EmbeddingCauseClassifier(SentenceEmbedder embedder, Saved state) {
    this.embedder = embedder;
    this.state = state;
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
    List<Setting> settings = new ArrayList<>();
    for (boolean lexical : options.lexicalGrid()) {
      for (boolean perField : options.perFieldGrid()) {
        for (boolean balanced : options.balancedGrid()) {
          for (double l2 : options.l2Grid()) {
            settings.add(new Setting(l2, balanced, perField, lexical));
          }
        }
      }
    }
    List<double[]> mixes = new ArrayList<>();
    for (double a : options.neighbourWeights()) {
      for (double b : options.priorWeights()) {
        if (a + b < 1) {
          mixes.add(new double[] {a, b});
        }
      }
    }
    int best = 0;
    if (settings.size() * mixes.size() > 1) {
      List<String> truth = labelled.stream().map(LabelledIncident::cause).toList();
      int[] fold = StratifiedFolds.assign(truth, options.innerFolds(), options.seed());
      // Embedded once up front, so the settings can be scored in parallel without racing to
      // fill the embedder's cache; each setting's scores land in its own row, so the choice is
      // the same whatever the thread count.
      for (boolean perField : options.perFieldGrid()) {
        labelled.forEach(i -> semantic(embedder, perField, i.text()));
      }
      double[][] f1 = new double[settings.size()][];
      IntStream.range(0, settings.size()).parallel().forEach(s -> f1[s] =
          innerScores(labelled, fold, embedder, options, settings.get(s), mixes));
      for (int s = 0; s < settings.size(); s++) {
        for (int m = 0; m < mixes.size(); m++) {
          if (f1[s][m] > f1[best / mixes.size()][best % mixes.size()]) {
            best = s * mixes.size() + m;
          }
        }
      }
    }
    Setting chosen = settings.get(best / mixes.size());
    double[] mix = mixes.get(best % mixes.size());
    return fit(labelled, embedder, options, chosen, mix[0], mix[1]);
  }

  /** Pooled inner-fold macro-F1 of one regression setting under each mix. */
  private static double[] innerScores(List<LabelledIncident> labelled, int[] fold,
      SentenceEmbedder embedder, Options options, Setting s, List<double[]> mixes) {
    List<List<String>> predicted = new ArrayList<>();
    mixes.forEach(m -> predicted.add(new ArrayList<>()));
    List<String> t = new ArrayList<>();
    for (int f = 0; f < options.innerFolds(); f++) {
      List<LabelledIncident> train = new ArrayList<>();
      List<LabelledIncident> test = new ArrayList<>();
      if (!InnerCrossValidation.split(labelled, fold, f, train, test)) {
        continue;
      }
      EmbeddingCauseClassifier c = fit(train, embedder, options, s, 0, 0);
      for (LabelledIncident i : test) {
        t.add(i.cause());
        double[][] parts = c.parts(i.text());
        for (int m = 0; m < mixes.size(); m++) {
          predicted.get(m).add(c.argmax(mixed(parts, mixes.get(m))));
        }
      }
    }
    double[] f1 = new double[mixes.size()];
    for (int m = 0; m < mixes.size(); m++) {
      f1[m] = ClassificationScores.of(t, predicted.get(m)).macroF1();
    }
    return f1;
  }

  private static EmbeddingCauseClassifier fit(List<LabelledIncident> labelled,
      SentenceEmbedder embedder, Options options, Setting s, double neighbourWeight,
      double priorWeight) {
    List<String> texts = labelled.stream().map(LabelledIncident::text).toList();
    TfIdfVectorizer lexical = s.lexical() ? TfIdfVectorizer.fit(texts, LEXICAL_TERMS) : null;
    List<float[]> semantic = texts.stream().map(t -> semantic(embedder, s.perField(), t)).toList();
    List<float[]> x = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      x.add(features(semantic.get(i), lexical, texts.get(i)));
    }
    List<String> y = labelled.stream().map(LabelledIncident::cause).toList();
    SoftmaxRegression model =
        new SoftmaxRegressionTrainer(s.l2(), s.balanced(), options.iterations()).train(x, y);
    List<float[]> prototypes = embedder.embedAll(CauseDescriptions.of(model.labels()));
    return new EmbeddingCauseClassifier(embedder, new Saved(SentenceEmbedder.MODEL_NAME,
        s.perField(), s.balanced(), model, lexical, neighbourWeight, priorWeight, semantic, y,
        prototypes));
  }

  /** The embedding of a text, joint or averaged over its lines, at unit length. */
  private static float[] semantic(SentenceEmbedder embedder, boolean perField, String text) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    if (!perField || lines.isEmpty()) {
      return embedder.embed(text);
    }
    float[] mean = new float[SentenceEmbedder.DIMENSION];
    for (float[] v : embedder.embedAll(lines)) {
      for (int j = 0; j < mean.length; j++) {
        mean[j] += v[j] / lines.size();
      }
    }
    return unit(mean);
  }

  private static float[] features(float[] semantic, TfIdfVectorizer lexical, String text) {
    if (lexical == null) {
      return semantic;
    }
    float[] words = lexical.vector(text);
    float[] x = new float[semantic.length + words.length];
    System.arraycopy(semantic, 0, x, 0, semantic.length);
    System.arraycopy(words, 0, x, semantic.length, words.length);
    return x;
  }

  private static float[] unit(float[] v) {
    double norm = Math.sqrt(SentenceEmbedder.dot(v, v));
    float[] out = new float[v.length];
    for (int j = 0; j < v.length; j++) {
      out[j] = norm == 0 ? 0f : (float) (v[j] / norm);
    }
    return out;
  }

  /** The regression's, the neighbours' and the prior's probabilities over {@link #labels()}. */
  private double[][] parts(String text) {
    float[] v = semantic(embedder, state.perField(), text);
    double[] regression = state.model().probabilities(features(v, state.lexical(), text));
    return new double[][] {regression, neighbourVote(v), prior(v)};
  }

  private static double[] mixed(double[][] parts, double[] mix) {
    double[] p = new double[parts[0].length];
    for (int c = 0; c < p.length; c++) {
      p[c] = (1 - mix[0] - mix[1]) * parts[0][c] + mix[0] * parts[1][c] + mix[1] * parts[2][c];
    }
    return p;
  }

  private String argmax(double[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      if (p[c] > p[best]) {
        best = c;
      }
    }
    return labels().get(best);
  }

  /**
   * The classes of the {@link #NEIGHBOURS} nearest training incidents, each weighted by
   * exp(cosine / T) relative to the nearest; with balanced class weights each class's vote is
   * divided by its share of the training set, as the regression's loss is.
   */
  private double[] neighbourVote(float[] v) {
    List<String> labels = labels();
    double[] p = new double[labels.size()];
    List<float[]> train = state.neighbours();
    if (train == null || train.isEmpty()) {
      java.util.Arrays.fill(p, 1.0 / p.length);
      return p;
    }
    double[] cos = new double[train.size()];
    Integer[] order = new Integer[train.size()];
    for (int i = 0; i < cos.length; i++) {
      cos[i] = SentenceEmbedder.dot(v, train.get(i));
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> a.equals(b) ? 0
        : cos[a] != cos[b] ? Double.compare(cos[b], cos[a]) : Integer.compare(a, b));
    double[] share = new double[p.length];
    for (String l : state.neighbourLabels()) {
      share[labels.indexOf(l)] += 1.0 / train.size();
    }
    double sum = 0;
    for (int r = 0; r < Math.min(NEIGHBOURS, order.length); r++) {
      int i = order[r];
      int c = labels.indexOf(state.neighbourLabels().get(i));
      double w = Math.exp((cos[i] - cos[order[0]]) / NEIGHBOUR_TEMPERATURE)
          / (state.balanced() ? share[c] * p.length : 1);
      p[c] += w;
      sum += w;
    }
    for (int c = 0; c < p.length; c++) {
      p[c] /= sum;
    }
    return p;
  }

  /** Softmax over the cosines to the class descriptions: a prior that needs no training. */
  private double[] prior(float[] v) {
    double[] logits = new double[labels().size()];
    for (int c = 0; c < logits.length; c++) {
      logits[c] = state.prototypes() == null ? 0
          : SentenceEmbedder.dot(v, state.prototypes().get(c)) / PRIOR_TEMPERATURE;
    }
    return SoftmaxRegression.softmax(logits);
  }

  /** Whether inner cross-validation chose balanced class weights. */
  public boolean balanced() {
    return state.balanced();
  }

  /** The L2 penalty inner cross-validation chose. */
  public double l2() {
    return state.model().l2();
  }

  /** Whether inner cross-validation chose to embed each field on its own. */
  public boolean perField() {
    return state.perField();
  }

  /** Whether inner cross-validation chose TF-IDF features beside the embedding. */
  public boolean lexical() {
    return state.lexical() != null;
  }

  /** The share of the neighbours' vote in the mixed probabilities. */
  public double neighbourWeight() {
    return state.neighbourWeight();
  }

  /** The share of the class-description prior in the mixed probabilities. */
  public double priorWeight() {
    return state.priorWeight();
  }

  /** The settings inner cross-validation chose, in a few words (for reports and logs). */
  public String settings() {
    return "L2 " + l2() + (balanced() ? ", balanced" : "") + (perField() ? ", per field" : "")
        + (lexical() ? ", TF-IDF" : "") + (neighbourWeight() > 0 ? ", kNN " + neighbourWeight()
        : "") + (priorWeight() > 0 ? ", prior " + priorWeight() : "");
  }

  public List<String> labels() {
    return state.model().labels();
  }

  @Override
  public CausePrediction classify(String text) {
    double[] p = mixed(parts(text), new double[] {neighbourWeight(), priorWeight()});
    String label = argmax(p);
    return new CausePrediction(label, p[labels().indexOf(label)]);
  }

  public void save(Path file) {
    try {
      JSON.writeValue(file.toFile(), state);
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
      return new EmbeddingCauseClassifier(embedder, saved);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load a classifier from " + file, e);
    }
  }
}
