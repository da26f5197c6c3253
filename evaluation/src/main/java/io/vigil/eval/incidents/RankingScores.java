package io.vigil.eval.incidents;

import io.vigil.analysis.incidents.RankedResolution;
import java.util.List;
import java.util.Set;

/**
 * hit@1, hit@3 and mean reciprocal rank of recommended resolution categories: a hit when any
 * category that actually ended the incident is among the first k; the reciprocal rank is 1 /
 * the rank of the first such category (0 when none is recommended).
 */
public final class RankingScores {

  private int n;
  private int hit1;
  private int hit3;
  private double reciprocalRanks;

  public void add(List<RankedResolution> ranking, Set<String> truth) {
    n++;
    for (int r = 0; r < ranking.size(); r++) {
      if (truth.contains(ranking.get(r).category())) {
        hit1 += r < 1 ? 1 : 0;
        hit3 += r < 3 ? 1 : 0;
        reciprocalRanks += 1.0 / (r + 1);
        return;
      }
    }
  }

  public int n() {
    return n;
  }

  public double hitAt1() {
    return hit1 / (double) n;
  }

  public double hitAt3() {
    return hit3 / (double) n;
  }

  public double mrr() {
    return reciprocalRanks / n;
  }
}
