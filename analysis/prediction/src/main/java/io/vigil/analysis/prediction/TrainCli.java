package io.vigil.analysis.prediction;

import io.vigil.core.config.GoDuration;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil-train}: trains a failure predictor on feature rows and fault labels and
 * publishes it to a model registry for the {@code failureprediction} connector. Exit code 0 on
 * success, 1 when the data cannot train a model (the message says why), 2 for bad usage.
 */
@Command(name = "vigil-train", mixinStandardHelpOptions = true,
    description = "Train a failure predictor (\"this service fails within the next H\") on the"
        + " featurerows exporter's Parquet files and faults.jsonl labels, evaluate it on the"
        + " later rows (or on --test-features), and publish it to a model registry.")
public final class TrainCli implements Callable<Integer> {

  @Option(names = "--features", required = true, split = ",",
      description = "Parquet files or directories of them (the featurerows exporter's).")
  List<Path> features = new ArrayList<>();

  @Option(names = "--columns", split = ",",
      description = "Train on these feature columns only, in this order (default: every"
          + " feature column of the files). The live connector must build each of them.")
  List<String> columns = new ArrayList<>();

  @Option(names = "--test-features", split = ",",
      description = "Held-out runs to test on; without it the last --test-fraction of the"
          + " time span is held out.")
  List<Path> testFeatures = new ArrayList<>();

  @Option(names = "--test-labels", split = ",",
      description = "Labels of the --test-features alone, when their runs overlap the training"
          + " runs in time (runs side by side); default: --labels label both.")
  List<Path> testLabels = new ArrayList<>();

  @Option(names = "--labels", required = true, split = ",",
      description = "faults.jsonl files: {\"service\", \"start\", \"end\"} per line; a"
          + " \"failing_from\" (a fault with a precursor) counts as its start.")
  List<Path> labels = new ArrayList<>();

  @Option(names = "--feedback", split = ",",
      description = "Incidents API lists (GET /api/incidents?state=resolved saved to a file):"
          + " incidents resolved as false_alarm weigh the rows that led to them as negatives;"
          + " other resolved incidents are failures, labelled like faults.")
  List<Path> feedback = new ArrayList<>();

  @Option(names = "--false-alarm-weight", defaultValue = "3",
      description = "How many times a row leading up to a false alarm counts (default ${DEFAULT-VALUE}).")
  int falseAlarmWeight;

  @Option(names = "--horizon", defaultValue = "5m",
      description = "Predict a fault starting within this long after a window (default ${DEFAULT-VALUE}).")
  String horizon;

  @Option(names = "--algorithm", defaultValue = "random_forest",
      description = "random_forest or gradient_boosted_trees (default ${DEFAULT-VALUE}).")
  String algorithm;

  @Option(names = "--trees", defaultValue = "100",
      description = "Trees in the ensemble (default ${DEFAULT-VALUE}).")
  int trees;

  @Option(names = "--max-depth", defaultValue = "8",
      description = "Splits from root to deepest leaf (default ${DEFAULT-VALUE}).")
  int maxDepth;

  @Option(names = "--seed", defaultValue = "1",
      description = "Seed of the bootstrap samples and feature choices (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--test-fraction", defaultValue = "0.3",
      description = "Share of the time span held out when splitting by time (default ${DEFAULT-VALUE}).")
  double testFraction;

  @Option(names = "--threshold", defaultValue = "0.5",
      description = "Probability from which the connector raises a prediction, or auto: the"
          + " best row F1 on the training rows' last 30 % of time for a model fitted on the rest"
          + " (default ${DEFAULT-VALUE}).")
  String threshold;

  @Option(names = "--registry", required = true, description = "Model registry directory.")
  Path registry;

  @Option(names = "--name", defaultValue = "failure", description = "Model name (default ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--no-promote", description = "Store the version without pointing current at it,"
      + " even when it beats the model in use.")
  boolean noPromote;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return new CommandLine(new TrainCli()).setOut(out).setErr(err).execute(args);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TrainingRun.Algorithm alg;
    Duration h;
    try {
      alg = TrainingRun.Algorithm.valueOf(algorithm.toUpperCase(Locale.ROOT));
      h = GoDuration.parse(horizon);
    } catch (IllegalArgumentException e) {
      err.println("Error: --algorithm must be random_forest or gradient_boosted_trees and"
          + " --horizon a duration such as 5m: " + e.getMessage());
      return 2;
    }
    double t;
    try {
      t = threshold.equals("auto") ? Double.NaN : Double.parseDouble(threshold);
    } catch (NumberFormatException e) {
      t = -1;
    }
    if (!(testFraction > 0 && testFraction < 1) || !(Double.isNaN(t) || t >= 0 && t <= 1)
        || trees < 1 || maxDepth < 1 || h.isZero() || h.isNegative() || falseAlarmWeight < 1
        || (!testLabels.isEmpty() && testFeatures.isEmpty())) {
      err.println("Error: --test-fraction must be in (0, 1), --threshold in [0, 1] or auto,"
          + " --trees, --max-depth and --false-alarm-weight at least 1, --horizon positive, and"
          + " --test-labels only with --test-features");
      return 2;
    }
    try {
      TrainingRun.Result r = TrainingRun.run(new TrainingRun.Options(features, testFeatures,
          testLabels, labels, feedback, falseAlarmWeight, h, alg, trees, maxDepth, seed, testFraction,
          t, registry, name, !noPromote, columns));
      Evaluation e = r.evaluation();
      ChampionChallenge c = r.challenge();
      out.printf(Locale.ROOT, "trained %s on %d rows (%d positive, %d weighed up as false-alarm"
          + " negatives), tested on %d rows (%d positive)%nfeatures %s, window %.0fs, horizon %s%n"
          + "precision %.3f, recall %.3f, F1 %.3f; faults predicted %d of %d, median lead time"
          + " %.0fs%n", algorithm, r.trainRows(), r.trainPositives(), r.hardNegatives(),
          r.testRows(), r.testPositives(), r.features(), r.windowNanos() / 1e9, horizon,
          e.precision(), e.recall(), ChampionChallenge.f1(e), e.faultsPredicted(), e.faults(),
          e.medianLeadTimeSeconds());
      if (Double.isNaN(t)) {
        out.printf("threshold %s%n", r.threshold().how());
      }
      if (c.championVersion().isPresent()) {
        out.printf(Locale.ROOT, "champion %s: %s%s; its score drift (PSI) %.3f%n",
            c.championVersion().get(), c.reason(),
            c.championSawTestRows() ? " (it was trained on some of these rows)" : "",
            c.drift());
      }
      boolean promoted = !noPromote && c.promote();
      out.printf("wrote %s%s%n", r.version().directory(), promoted ? " (now current)"
          : " (current unchanged: " + (noPromote ? "--no-promote" : c.reason()) + ")");
      return 0;
    } catch (IOException | IllegalArgumentException e) {
      err.println("Error: " + e.getMessage());
      return 1;
    }
  }
}
