package io.vigil.eval.nab;

import io.vigil.eval.SharedData;
import io.vigil.analysis.anomaly.DetectorSettings;
import io.vigil.analysis.anomaly.SeriesDetector;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Streams every shared NAB series, point by point, through the metrics anomaly processor's
 * detector (one configuration for all series, a fresh detector per series) and scores it with
 * {@link NabScorer} on the three profiles, beside the two reference detectors.
 */
@Command(name = "nab", mixinStandardHelpOptions = true,
    description = "NAB scores of the metrics anomaly detector on the shared series")
public final class NabEvaluation implements Callable<Integer> {

  @Option(names = "--data", description = "nab folder (default: ../shared/data/nab)")
  Path data;

  @Option(names = "--no-reference", description = "skip scoring the reference detectors")
  boolean noReference;

  @Option(names = "--algorithm", description = "built-in detector: neighbours (default) or"
      + " isolation_forest")
  String algorithm = DetectorSettings.NEIGHBOURS;

  @Option(names = "--explain", description = "per series: windows hit and false detections at"
      + " the standard profile's threshold")
  boolean explain;

  /** Runs a detector over every series; scores by file key. */
  public static Map<String, double[]> run(NabCorpus corpus, Supplier<SeriesDetector> detectors) {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String key : corpus.keys()) {
      NabCorpus.Series s = corpus.series(key);
      SeriesDetector d = detectors.get();
      double[] scores = new double[s.values().length];
      for (int i = 0; i < scores.length; i++) {
        long nanos = s.timestamps().get(i).toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L;
        scores[i] = d.update(nanos, s.values()[i]);
      }
      out.put(key, scores);
    }
    return out;
  }

  /**
   * One fold of the two-fold protocol, standard profile: the threshold chosen (swept) on the
   * other half, and the held-out half scored at it, at the shipped alarm level and at its own
   * best threshold (the last one is not an estimate of anything: it looks at the held-out labels).
   */
  public record Fold(String heldOut, double chosenThreshold, double trainScore, double heldOutScore,
      double heldOutAtDefault, double heldOutSwept) {}

  /** Both folds of {@link NabFolds}: choose on A score B, then choose on B score A. */
  public static List<Fold> twoFold(NabCorpus corpus, Map<String, double[]> scores,
      double alarmLevel) {
    List<List<String>> halves = NabFolds.split(corpus.keys());
    NabScorer standard = new NabScorer(corpus.profiles().get(0));
    List<Fold> out = new ArrayList<>();
    for (int f = 0; f < 2; f++) {
      NabCorpus train = corpus.only(halves.get(f));
      NabCorpus test = corpus.only(halves.get(1 - f));
      NabScorer.Result chosen = standard.score(train, scores);
      out.add(new Fold(f == 0 ? "B" : "A", chosen.threshold(), chosen.normalised(),
          standard.score(test, scores, chosen.threshold()).normalised(),
          standard.score(test, scores, alarmLevel).normalised(),
          standard.score(test, scores).normalised()));
    }
    return out;
  }

  public static List<NabScorer.Result> score(NabCorpus corpus, Map<String, double[]> scores) {
    return corpus.profiles().stream().map(p -> new NabScorer(p).score(corpus, scores)).toList();
  }

  @Override
  public Integer call() {
    Path dir = data != null ? data : SharedData.folder("nab").orElse(null);
    if (dir == null) {
      System.err.println("no nab folder: expected ../shared/data/nab beside the project, or pass"
          + " --data");
      return 2;
    }
    NabCorpus corpus = new NabCorpus(dir);
    System.out.println("| detector | standard | reward_low_FP_rate | reward_low_FN_rate |"
        + " thresholds |");
    System.out.println("|---|---|---|---|---|");
    DetectorSettings settings = new DetectorSettings();
    settings.algorithm = algorithm;
    Map<String, double[]> ours = run(corpus, () -> DetectorUnderTest.create(settings));
    List<NabScorer.Result> results = score(corpus, ours);
    row("vigil " + algorithm + " (metrics anomaly processor)", results);
    double alarm = settings.alarmLevel();
    row("vigil " + algorithm + " at its default alarm_level",
        corpus.profiles().stream().map(p -> new NabScorer(p).score(corpus, ours, alarm)).toList());
    Map<String, Map<String, double[]>> references = new LinkedHashMap<>();
    if (!noReference) {
      for (String ref : List.of("randomCutForest", "windowedGaussian")) {
        references.put(ref, corpus.detectorScores(dir.resolve("reference-detectors")
            .resolve(ref), ref));
        row(ref + " (published scores, rescored here)", score(corpus, references.get(ref)));
      }
    }
    System.out.println();
    System.out.println("Two folds (NabFolds: alternate files of each NAB folder), standard"
        + " profile:");
    System.out.println();
    System.out.println("| detector | held-out half | threshold chosen on the other half (its"
        + " score) | held-out at that threshold | held-out at alarm_level | held-out, own best"
        + " threshold |");
    System.out.println("|---|---|---|---|---|---|");
    foldRows("vigil " + algorithm, twoFold(corpus, ours, alarm), String.valueOf(alarm));
    references.forEach((ref, scores) -> foldRows(ref, twoFold(corpus, scores, Double.NaN), "-"));
    if (explain) {
      System.out.println();
      explain(corpus, ours, results.get(0).threshold());
    }
    return 0;
  }

  private static void foldRows(String name, List<Fold> folds, String level) {
    for (Fold f : folds) {
      System.out.printf("| %s | %s | %.5f (%.2f) | %.2f | %s | %.2f |%n", name, f.heldOut(),
          f.chosenThreshold(), f.trainScore(), f.heldOutScore(),
          level.equals("-") ? "-" : String.format("%.2f (%s)", f.heldOutAtDefault(), level),
          f.heldOutSwept());
    }
  }

  private static void row(String name, List<NabScorer.Result> results) {
    StringBuilder sb = new StringBuilder("| " + name + " |");
    StringBuilder th = new StringBuilder();
    for (NabScorer.Result r : results) {
      sb.append(String.format(" %.2f |", r.normalised()));
      th.append(th.length() == 0 ? "" : " / ").append(String.format("%.5f", r.threshold()));
    }
    System.out.println(sb + " " + th + " |");
  }

  private static void explain(NabCorpus corpus, Map<String, double[]> scores, double threshold) {
    for (String key : corpus.keys()) {
      NabCorpus.Series s = corpus.series(key);
      double[] sc = scores.get(key);
      int probation = NabScorer.probationLength(sc.length);
      List<NabCorpus.Window> ws = corpus.windows(key);
      int hits = 0;
      int falses = 0;
      StringBuilder firsts = new StringBuilder();
      boolean[] hit = new boolean[ws.size()];
      for (int i = probation; i < sc.length; i++) {
        if (sc[i] < threshold) {
          continue;
        }
        boolean inside = false;
        for (int w = 0; w < ws.size(); w++) {
          var t = s.timestamps().get(i);
          if (!t.isBefore(ws.get(w).start()) && !t.isAfter(ws.get(w).end())) {
            inside = true;
            if (!hit[w]) {
              hit[w] = true;
              hits++;
            }
          }
        }
        falses += inside ? 0 : 1;
      }
      System.out.printf("%-60s windows %d hit %d false %d%n", key, ws.size(), hits, falses);
    }
  }
}
