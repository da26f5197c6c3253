package io.vigil.eval.loghub;

import io.vigil.analysis.logtemplate.MinerSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two-fold estimate of how the miner's thresholds generalise: the eleven shared systems are
 * split into two fixed halves, the thresholds are chosen on one half (best average grouping
 * accuracy over a fixed grid) and scored on the other, both ways.
 *
 * <p>The halves were fixed before any result was looked at: the systems in alphabetical order
 * (Java string order, as {@link LoghubDataset#all} lists them), alternately to A and B.
 * Only the two thresholds are chosen per fold; the tokenisation rules are the same in every
 * run (and were designed looking at all eleven systems, which this protocol cannot undo).
 */
public final class LoghubTwoFold {

  /** Odd positions of the alphabetical list. */
  public static final List<String> FOLD_A =
      List.of("Android", "BGL", "HPC", "Linux", "Spark", "Zookeeper");
  /** Even positions of the alphabetical list. */
  public static final List<String> FOLD_B =
      List.of("Apache", "HDFS", "Hadoop", "OpenSSH", "Windows");

  /** The similarity thresholds tried: 0.50 to 0.90 in steps of 0.05. */
  public static final List<Double> SIMILARITIES =
      List.of(0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9);
  /** The settle_after values tried; Long.MAX_VALUE is "never settle" (plain Drain). */
  public static final List<Long> SETTLE_AFTER =
      List.of(10L, 20L, 50L, 100L, 200L, 500L, 1000L, Long.MAX_VALUE);

  /** Thresholds and their accuracy per system. */
  public record Scored(double similarity, long settleAfter, Map<String, Double> accuracy) {

    public double average() {
      return accuracy.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    public double minimum() {
      return accuracy.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    /** The same thresholds with only these systems' scores. */
    Scored only(List<String> systems) {
      Map<String, Double> some = new LinkedHashMap<>();
      systems.forEach(name -> some.put(name, accuracy.get(name)));
      return new Scored(similarity, settleAfter, some);
    }
  }

  /** One direction: thresholds chosen on {@code tunedOn}, scored on {@code heldOut}. */
  public record Fold(List<String> tunedOn, Scored chosen, Scored heldOut) {}

  private LoghubTwoFold() {}

  /** Both folds (A tunes for B, then B tunes for A), and the choice made on all systems. */
  public static List<Fold> run(List<LoghubDataset> sets) {
    List<String> names = sets.stream().map(LoghubDataset::system).toList();
    if (!names.containsAll(FOLD_A) || !names.containsAll(FOLD_B)) {
      throw new IllegalArgumentException("the two folds need all of " + FOLD_A + " and "
          + FOLD_B + "; found " + names);
    }
    // Every grid point is scored once on every system; the folds read their halves.
    List<Scored> grid = new ArrayList<>();
    for (double similarity : SIMILARITIES) {
      for (long settle : SETTLE_AFTER) {
        grid.add(score(sets, similarity, settle));
      }
    }
    return List.of(fold(grid, FOLD_A, FOLD_B), fold(grid, FOLD_B, FOLD_A),
        fold(grid, names, names));
  }

  private static Fold fold(List<Scored> grid, List<String> tuneOn, List<String> testOn) {
    Scored best = null;
    Scored bestThere = null;
    for (Scored point : grid) {
      Scored there = point.only(tuneOn);
      if (bestThere == null || BY_AVERAGE_THEN_MINIMUM.compare(there, bestThere) > 0) {
        best = point;
        bestThere = there;
      }
    }
    return new Fold(tuneOn, bestThere, best.only(testOn));
  }

  /**
   * Choosing a grid point: the best average accuracy on the tuning systems; ties go to the
   * better minimum, then to the first in grid order.
   */
  private static final Comparator<Scored> BY_AVERAGE_THEN_MINIMUM =
      Comparator.comparingDouble((Scored s) -> round(s.average()))
          .thenComparingDouble(s -> round(s.minimum()));

  /** Averages equal to 1e-9 count as ties (sums of doubles in another order). */
  private static double round(double v) {
    return Math.round(v * 1e9) / 1e9;
  }

  public static Scored score(List<LoghubDataset> sets, double similarity, long settleAfter) {
    MinerSettings settings = new MinerSettings(MinerSettings.DEFAULTS.depth(), similarity,
        MinerSettings.DEFAULTS.maxChildren(), MinerSettings.DEFAULTS.maxTemplates(),
        MinerSettings.DEFAULTS.maxTokens(), settleAfter);
    Map<String, Double> accuracy = new LinkedHashMap<>();
    for (LoghubDataset set : sets) {
      accuracy.put(set.system(), LoghubEvaluation.evaluate(set, settings).accuracy());
    }
    return new Scored(similarity, settleAfter, accuracy);
  }

  static String settle(long settleAfter) {
    return settleAfter == Long.MAX_VALUE ? "never" : Long.toString(settleAfter);
  }
}
