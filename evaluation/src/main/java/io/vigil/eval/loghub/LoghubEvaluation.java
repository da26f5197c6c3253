package io.vigil.eval.loghub;

import io.vigil.eval.SharedData;
import io.vigil.processor.logtemplate.LogTemplateConfig;
import io.vigil.analysis.logtemplate.MinerSettings;
import io.vigil.analysis.logtemplate.TemplateMiner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Streams the {@code Content} of every shared Loghub 2k sample through the logtemplate
 * processor's miner, with the processor's default configuration for every system, and prints
 * grouping accuracy per system as a markdown table.
 */
@Command(name = "loghub", mixinStandardHelpOptions = true,
    description = "Grouping accuracy of the logtemplate miner on the shared Loghub 2k samples")
public final class LoghubEvaluation implements Callable<Integer> {

  /** Drain with per-dataset rules, Zhu et al. ICSE-SEIP 2019, as quoted in the data README. */
  static final java.util.Map<String, Double> PUBLISHED_DRAIN = java.util.Map.ofEntries(
      java.util.Map.entry("HDFS", 0.998), java.util.Map.entry("Hadoop", 0.948),
      java.util.Map.entry("Spark", 0.920), java.util.Map.entry("Zookeeper", 0.967),
      java.util.Map.entry("BGL", 0.963), java.util.Map.entry("HPC", 0.887),
      java.util.Map.entry("Windows", 0.997), java.util.Map.entry("Linux", 0.690),
      java.util.Map.entry("Android", 0.911), java.util.Map.entry("Apache", 1.000),
      java.util.Map.entry("OpenSSH", 0.788));

  @Option(names = "--data", description = "loghub-2k folder (default: ../shared/data/loghub-2k)")
  Path data;

  @Option(names = "--similarity", description = "similarity_threshold (default: the processor's)")
  Double similarity;

  @Option(names = "--depth", description = "depth (default: the processor's)")
  Integer depth;

  @Option(names = "--settle-after", description = "settle_after (default: the processor's)")
  Long settleAfter;

  @Option(names = "--explain", description = "print the wrongly grouped lines of this system")
  String explain;

  @Option(names = "--two-fold", description = "choose the thresholds on one half of the systems"
      + " and score them on the other, both ways (see LoghubTwoFold)")
  boolean twoFold;

  /** Accuracy of one system. */
  public record Result(String system, int lines, int templates, double accuracy) {}

  public static Result evaluate(LoghubDataset set, LogTemplateConfig config) {
    return evaluate(set, config.newMiner());
  }

  public static Result evaluate(LoghubDataset set, MinerSettings settings) {
    return evaluate(set, settings.newMiner());
  }

  private static Result evaluate(LoghubDataset set, TemplateMiner miner) {
    List<Long> predicted = new ArrayList<>(set.lines().size());
    List<String> truth = new ArrayList<>(set.lines().size());
    for (LoghubDataset.Line line : set.lines()) {
      predicted.add(miner.add(line.content()).template().id());
      truth.add(line.eventId());
    }
    return new Result(set.system(), set.lines().size(), miner.size(),
        GroupingAccuracy.of(predicted, truth));
  }

  public static List<Result> evaluateAll(Path loghubDir, LogTemplateConfig config) {
    return LoghubDataset.all(loghubDir).stream().map(s -> evaluate(s, config)).toList();
  }

  @Override
  public Integer call() {
    Path dir = data != null ? data : SharedData.folder("loghub-2k").orElse(null);
    if (dir == null) {
      System.err.println("no loghub-2k folder: expected ../shared/data/loghub-2k beside the"
          + " project, or pass --data");
      return 2;
    }
    LogTemplateConfig config = new LogTemplateConfig();
    if (similarity != null) {
      config.similarityThreshold = similarity;
    }
    if (depth != null) {
      config.depth = depth;
    }
    if (settleAfter != null) {
      config.settleAfter = settleAfter;
    }
    if (twoFold) {
      printTwoFold(LoghubTwoFold.run(LoghubDataset.all(dir)));
      return 0;
    }
    if (explain != null) {
      explain(LoghubDataset.load(explain, dir.resolve(explain).resolve(explain + "_2k.log_structured.csv")), config);
      return 0;
    }
    List<Result> results = evaluateAll(dir, config);
    System.out.println("| system | lines | templates found | grouping accuracy | Drain 2019 (per-dataset rules) |");
    System.out.println("|---|---|---|---|---|");
    double sum = 0;
    double published = 0;
    for (Result r : results) {
      Double p = PUBLISHED_DRAIN.get(r.system());
      System.out.printf("| %s | %d | %d | %.3f | %s |%n", r.system(), r.lines(), r.templates(),
          r.accuracy(), p == null ? "" : String.format("%.3f", p));
      sum += r.accuracy();
      published += p == null ? 0 : p;
    }
    System.out.printf("| **average** | | | **%.3f** | %.3f |%n", sum / results.size(),
        published / results.size());
    java.nio.file.Path bglCsv = dir.resolve("BGL/BGL_2k.log_structured.csv");
    if (java.nio.file.Files.exists(bglCsv)) {
      BglAnomalyEvaluation.Result b =
          BglAnomalyEvaluation.evaluate(LoghubDataset.load("BGL", bglCsv));
      System.out.println();
      System.out.println("| BGL_2k, default anomaly settings | lines | alert lines | flagged |"
          + " precision | recall | F1 |");
      System.out.println("|---|---|---|---|---|---|---|");
      System.out.printf("| log anomaly detector | %d | %d | %d | %.3f | %.3f | %.3f |%n",
          b.lines(), b.alerts(), b.flagged(), b.precision(), b.recall(), b.f1());
    }
    return 0;
  }

  static void printTwoFold(List<LoghubTwoFold.Fold> folds) {
    System.out.println("| thresholds chosen on | similarity | settle_after | average there |"
        + " scored on | held-out average | held-out minimum | per system |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (LoghubTwoFold.Fold f : folds) {
      String tuned = f.tunedOn().size() > 6 ? "all 11" : String.join(", ", f.tunedOn());
      String held = f.heldOut().accuracy().keySet().equals(
          new java.util.LinkedHashSet<>(f.tunedOn())) ? "the same 11 (all-in)" : "the other half";
      StringBuilder per = new StringBuilder();
      f.heldOut().accuracy().forEach((k, v) -> per.append(per.length() == 0 ? "" : ", ")
          .append(k).append(String.format(" %.3f", v)));
      System.out.printf("| %s | %.2f | %s | %.3f | %s | **%.3f** | %.3f | %s |%n", tuned,
          f.chosen().similarity(), LoghubTwoFold.settle(f.chosen().settleAfter()),
          f.chosen().average(), held, f.heldOut().average(), f.heldOut().minimum(), per);
    }
  }

  /** Prints each predicted group that is not exactly one true event, with its events. */
  static void explain(LoghubDataset set, LogTemplateConfig config) {
    TemplateMiner miner = config.newMiner();
    java.util.Map<Long, java.util.Map<String, List<String>>> byGroup = new java.util.LinkedHashMap<>();
    java.util.Map<String, java.util.Set<Long>> groupsOfEvent = new java.util.HashMap<>();
    for (LoghubDataset.Line line : set.lines()) {
      long id = miner.add(line.content()).template().id();
      byGroup.computeIfAbsent(id, k -> new java.util.TreeMap<>())
          .computeIfAbsent(line.eventId(), k -> new ArrayList<>()).add(line.content());
      groupsOfEvent.computeIfAbsent(line.eventId(), k -> new java.util.HashSet<>()).add(id);
    }
    java.util.Map<Long, String> text = new java.util.HashMap<>();
    miner.templates().forEach(t -> text.put(t.id(), t.text()));
    byGroup.forEach((id, events) -> {
      boolean split = events.size() == 1
          && groupsOfEvent.get(events.keySet().iterator().next()).size() > 1;
      if (events.size() > 1 || split) {
        System.out.println((split ? "SPLIT " : "MERGED ") + text.get(id));
        events.forEach((e, lines) -> System.out.println("   " + e + " x" + lines.size() + "  "
            + lines.get(0)));
      }
    });
  }
}
