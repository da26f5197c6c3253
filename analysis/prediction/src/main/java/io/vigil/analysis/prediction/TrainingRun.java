package io.vigil.analysis.prediction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.analysis.onnx.OnnxModel;
import io.vigil.analysis.training.GradientBoostedTrees;
import io.vigil.analysis.training.RandomForestClassifier;
import io.vigil.analysis.training.TreeEnsembleOnnx;
import io.vigil.featurerows.ModelRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code vigil-train} does, as one call the CLI and the tests share: read the rows and
 * labels, label, split by time (or by run), fit, write ONNX, score the held-out rows through
 * onnxruntime (the model as it will run), and publish model and metadata to the registry.
 */
public final class TrainingRun {

  /** Metadata keys the {@code failureprediction} connector reads from the ONNX model. */
  public static final String WINDOW_SECONDS = "vigil.window_seconds";
  public static final String HORIZON_SECONDS = "vigil.horizon_seconds";

  public enum Algorithm { RANDOM_FOREST, GRADIENT_BOOSTED_TREES }

  /**
   * @param testFeatures rows held out as they are (split by run); empty = split by time, the
   *     last {@code testFraction} of the span held out
   */
  /**
   * @param testLabels labels of the test features alone, for runs whose times overlap the
   *     training runs' (two demo runs side by side): empty = {@code labels} label both
   * @param feedback incidents API lists: resolved incidents as labels or false alarms
   *     ({@link IncidentFeedback})
   * @param falseAlarmWeight how many times a row leading up to a false alarm counts in training
   * @param promote whether the challenger may become current (it does when it beats the
   *     champion, {@link ChampionChallenge}); false keeps current whatever the figures
   */
  public record Options(List<Path> features, List<Path> testFeatures, List<Path> testLabels,
      List<Path> labels, List<Path> feedback, int falseAlarmWeight, Duration horizon, Algorithm algorithm,
      int trees, int maxDepth, long seed, double testFraction, double threshold, Path registry,
      String name, boolean promote, List<String> columns) {

    public static final int DEFAULT_FALSE_ALARM_WEIGHT = 3;

    public static Options of(List<Path> features, List<Path> labels, Path registry) {
      return new Options(features, List.of(), List.of(), labels, List.of(),
          DEFAULT_FALSE_ALARM_WEIGHT,
          Duration.ofMinutes(5), Algorithm.RANDOM_FOREST, 100, 8, 1, 0.3, 0.5, registry,
          "failure", true, List.of());
    }

    public Options withHorizon(Duration h) {
      return new Options(features, testFeatures, testLabels, labels, feedback, falseAlarmWeight, h,
          algorithm, trees, maxDepth, seed, testFraction, threshold, registry, name, promote, columns);
    }

    public Options withTestFeatures(List<Path> t) {
      return new Options(features, t, testLabels, labels, feedback, falseAlarmWeight, horizon, algorithm,
          trees, maxDepth, seed, testFraction, threshold, registry, name, promote, columns);
    }

    public Options withAlgorithm(Algorithm a) {
      return new Options(features, testFeatures, testLabels, labels, feedback, falseAlarmWeight, horizon, a,
          trees, maxDepth, seed, testFraction, threshold, registry, name, promote, columns);
    }

    /** @param t the alarm threshold; NaN = choose it on the training rows */
    public Options withThreshold(double t) {
      return new Options(features, testFeatures, testLabels, labels, feedback, falseAlarmWeight,
          horizon, algorithm, trees, maxDepth, seed, testFraction, t, registry, name, promote,
          columns);
    }

    /** Trains on these feature columns only (in this order); empty = every column. */
    public Options withColumns(List<String> c) {
      return new Options(features, testFeatures, testLabels, labels, feedback, falseAlarmWeight,
          horizon, algorithm, trees, maxDepth, seed, testFraction, threshold, registry, name,
          promote, List.copyOf(c));
    }

    public Options withFeedback(List<Path> f) {
      return new Options(features, testFeatures, testLabels, labels, f, falseAlarmWeight, horizon,
          algorithm, trees, maxDepth, seed, testFraction, threshold, registry, name, promote, columns);
    }
  }

  /**
   * @param hardNegatives training rows that led up to an incident resolved as a false alarm
   * @param challenge the new model against the one in use, and whether it was promoted
   */
  public record Result(ModelRegistry.Version version, List<String> features, long windowNanos,
      int trainRows, int trainPositives, int testRows, int testPositives, int hardNegatives,
      Evaluation evaluation, ChampionChallenge challenge, String metadataJson,
      ThresholdChoice threshold) {}

  private TrainingRun() {}

  /**
   * @throws IllegalArgumentException when the data cannot train a model (no rows, one class
   *     only in the training part, no held-out rows), naming what is missing
   */
  public static Result run(Options o) throws IOException {
    ModelRegistry.checkName(o.name());
    List<Path> trainFiles = FeatureTable.files(o.features());
    FeatureTable table = FeatureTable.read(trainFiles, o.columns());
    if (table.rows().isEmpty()) {
      throw new IllegalArgumentException("the feature files hold no rows: " + trainFiles);
    }
    List<FaultLabel> faults = new ArrayList<>();
    for (Path p : o.labels()) {
      faults.addAll(FaultLabel.read(p));
    }
    IncidentFeedback feedback = IncidentFeedback.read(o.feedback());
    List<FaultLabel> newFailures = feedback.failuresNotLabelled(faults);
    int covered = feedback.failures().size() - newFailures.size();
    faults.addAll(newFailures);
    List<FaultLabel> testFaults = faults;
    if (!o.testLabels().isEmpty()) {
      testFaults = new ArrayList<>();
      for (Path p : o.testLabels()) {
        testFaults.addAll(FaultLabel.read(p));
      }
    }
    long h = o.horizon().toNanos();
    long window = table.rows().get(0).endNanos() - table.rows().get(0).startNanos();
    LabelledSet all = LabelledSet.of(table.rows(), faults, h);
    LabelledSet train;
    LabelledSet test;
    List<Path> testFiles = List.of();
    if (o.testFeatures().isEmpty()) {
      long from = table.rows().get(0).startNanos();
      long to = Long.MIN_VALUE;
      for (FeatureTable.Row r : table.rows()) {
        to = Math.max(to, r.endNanos());
      }
      long cut = from + (long) ((to - from) * (1 - o.testFraction()));
      cut = Math.floorDiv(cut, window) * window;
      // A training row's label looks H ahead: rows within H of the cut would be labelled by
      // faults in the test part, so they are left out of both.
      train = all.between(from, cut - h);
      test = all.between(cut, to);
    } else {
      testFiles = FeatureTable.files(o.testFeatures());
      FeatureTable held = FeatureTable.read(testFiles, o.columns());
      if (!held.names().equals(table.names())) {
        throw new IllegalArgumentException("the test files' features " + held.names()
            + " differ from the training files' " + table.names());
      }
      train = all;
      test = LabelledSet.of(held.rows(), testFaults, h);
    }
    if (test.rows().isEmpty()) {
      throw new IllegalArgumentException("no rows are left to test on; give more data, a"
          + " larger test fraction or --test-features");
    }
    int hard = train.hardNegatives(feedback.falseAlarms(), h).size();
    LabelledSet weighed = train.weighHardNegatives(feedback.falseAlarms(), h,
        o.falseAlarmWeight());
    Options given = o.withThreshold(ThresholdChoice.FALLBACK); // the inner fit's own is unused
    ThresholdChoice threshold = Double.isNaN(o.threshold())
        ? ThresholdChoice.choose(weighed, h, rows -> fit(given, rows, table.names(), window))
        : ThresholdChoice.given(o.threshold());
    o = o.withThreshold(threshold.threshold());
    byte[] onnx = fit(o, weighed, table.names(), window);
    Evaluation eval;
    float[] scores;
    try (OnnxModel model = OnnxModel.load(onnx, "the trained model")) {
      scores = model.score(floats(test.matrix()));
      eval = Evaluation.of(test, scores, o.threshold(), testFaults, h);
    }
    ModelRegistry registry = new ModelRegistry(o.registry());
    ChampionChallenge challenge = ChampionChallenge.decide(registry, o.name(), test,
        table.names(), eval, testFaults, h, testFiles.isEmpty() ? trainFiles : testFiles,
        test.fromNanos());
    boolean promote = o.promote() && challenge.promote();
    String version = nextVersion(registry, o.name());
    String json = metadata(o, version, table, train, test, window, eval, scores, trainFiles,
        testFiles, feedback, hard, challenge, promote, threshold, covered);
    ModelRegistry.Version v = registry.publish(o.name(), onnx, json, promote);
    return new Result(v, table.names(), window, train.rows().size(), train.positives(),
        test.rows().size(), test.positives(), hard, eval, challenge, json, threshold);
  }

  private static byte[] fit(Options o, LabelledSet train, List<String> names, long window) {
    if (train.rows().isEmpty()) {
      throw new IllegalArgumentException("no rows are left to train on (the first part of the"
          + " span, less the horizon before the test part)");
    }
    if (train.positives() == 0) {
      throw new IllegalArgumentException("no training row is followed by a fault within "
          + o.horizon() + ": check that the labels' services and times match the rows'");
    }
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put(WINDOW_SECONDS, Double.toString(window / 1e9));
    extra.put(HORIZON_SECONDS, Double.toString(o.horizon().toNanos() / 1e9));
    extra.put("vigil.predicts", "failure_within_horizon");
    double[][] x = train.matrix();
    return switch (o.algorithm()) {
      case RANDOM_FOREST -> TreeEnsembleOnnx.write(RandomForestClassifier.fit(x, train.labels(),
          new RandomForestClassifier.Settings(o.trees(), o.maxDepth(), 2, 0, 255, o.seed())),
          names, o.threshold(), extra);
      case GRADIENT_BOOSTED_TREES -> TreeEnsembleOnnx.write(GradientBoostedTrees.fit(x,
          train.labels(), GradientBoostedTrees.Settings.defaults().withTrees(o.trees())
              .withMaxDepth(o.maxDepth()).withSeed(o.seed())), names, o.threshold(), extra);
    };
  }

  static float[][] floats(double[][] x) {
    float[][] f = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      f[i] = new float[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        f[i][j] = (float) x[i][j];
      }
    }
    return f;
  }

  private static String nextVersion(ModelRegistry r, String name) throws IOException {
    List<String> v = r.versions(name);
    return String.format("v%04d", v.isEmpty() ? 1
        : Long.parseLong(v.get(v.size() - 1).substring(1)) + 1);
  }

  private static String metadata(Options o, String version, FeatureTable table,
      LabelledSet train, LabelledSet test, long window, Evaluation e, float[] scores,
      List<Path> trainFiles, List<Path> testFiles, IncidentFeedback feedback, int hardNegatives,
      ChampionChallenge challenge, boolean promoted, ThresholdChoice threshold,
      int failuresAlreadyLabelled) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode m = json.createObjectNode();
    m.put("name", o.name());
    m.put("version", version);
    m.put("created", Instant.now().toString());
    m.put("algorithm", o.algorithm().name().toLowerCase(java.util.Locale.ROOT));
    m.put("predicts", "service fails within horizon_seconds after the row's window");
    ArrayNode f = m.putArray("features");
    table.names().forEach(f::add);
    m.put("window_seconds", window / 1e9);
    m.put("horizon_seconds", o.horizon().toNanos() / 1e9);
    m.put("threshold", o.threshold());
    m.put("threshold_choice", threshold.how());
    m.put("split", testFiles.isEmpty() ? "time: last " + o.testFraction() + " of the span"
        : "run: test files given apart");
    ObjectNode tr = span(m.putObject("training"), train);
    tr.put("trees", o.trees()).put("max_depth", o.maxDepth()).put("seed", o.seed());
    ArrayNode files = tr.putArray("files");
    trainFiles.forEach(p -> files.add(p.toString()));
    ArrayNode labels = tr.putArray("labels");
    o.labels().forEach(p -> labels.add(p.toString()));
    ObjectNode te = span(m.putObject("test"), test);
    ArrayNode held = te.putArray("files");
    testFiles.forEach(p -> held.add(p.toString()));
    ArrayNode heldLabels = te.putArray("labels");
    (o.testLabels().isEmpty() ? o.labels() : o.testLabels())
        .forEach(p -> heldLabels.add(p.toString()));
    ObjectNode ev = m.putObject("evaluation");
    ev.put("precision", e.precision());
    ev.put("recall", e.recall());
    ev.put("true_positives", e.truePositives()).put("false_positives", e.falsePositives())
        .put("false_negatives", e.falseNegatives()).put("true_negatives", e.trueNegatives());
    ev.put("faults", e.faults()).put("faults_predicted", e.faultsPredicted());
    ev.put("median_lead_time_seconds", e.medianLeadTimeSeconds());
    e.leadTimesSeconds().forEach(ev.putArray("lead_times_seconds")::add);
    ev.put("f1", ChampionChallenge.f1(e));
    ev.put("always_alarm_f1", e.alwaysAlarmF1());
    // Recorded so that the next training can tell how far this model's scores have drifted.
    ArrayNode hist = ev.putArray("score_histogram");
    for (long c : ScoreHistogram.of(scores).counts()) {
      hist.add(c);
    }
    ObjectNode fb = m.putObject("feedback");
    ArrayNode feedbackFiles = fb.putArray("files");
    o.feedback().forEach(p -> feedbackFiles.add(p.toString()));
    fb.put("incidents_as_failures", feedback.failures().size() - failuresAlreadyLabelled);
    fb.put("failures_already_labelled", failuresAlreadyLabelled);
    fb.put("false_alarms", feedback.falseAlarms().size());
    fb.put("caused_elsewhere_left_out", feedback.causedElsewhere().size());
    fb.put("hard_negative_rows", hardNegatives);
    fb.put("false_alarm_weight", o.falseAlarmWeight());
    ObjectNode ch = m.putObject("challenge");
    ch.put("champion", challenge.championVersion().orElse(null));
    if (challenge.champion() != null) {
      Evaluation c = challenge.champion();
      ch.putObject("champion_evaluation").put("precision", c.precision())
          .put("recall", c.recall()).put("f1", ChampionChallenge.f1(c))
          .put("faults", c.faults()).put("faults_predicted", c.faultsPredicted())
          .put("median_lead_time_seconds", c.medianLeadTimeSeconds());
    }
    ch.put("champion_trained_on_test_rows", challenge.championSawTestRows());
    ch.put("decision", promoted ? "promoted" : "kept " + challenge.championVersion()
        .orElse("nothing"));
    ch.put("reason", o.promote() ? challenge.reason() : "--no-promote");
    ch.put("champion_score_drift_psi", challenge.drift());
    return json.writeValueAsString(m) + "\n";
  }

  private static ObjectNode span(ObjectNode n, LabelledSet s) {
    n.put("rows", s.rows().size());
    n.put("positives", s.positives());
    if (!s.rows().isEmpty()) {
      long from = Long.MAX_VALUE;
      long to = Long.MIN_VALUE;
      for (FeatureTable.Row r : s.rows()) {
        from = Math.min(from, r.startNanos());
        to = Math.max(to, r.endNanos());
      }
      n.put("from", Instant.ofEpochSecond(0, from).toString());
      n.put("to", Instant.ofEpochSecond(0, to).toString());
    }
    return n;
  }
}
