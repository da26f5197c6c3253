package io.vigil.analysis.incidents;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Baseline: the resolution categories that ended the most past incidents, whatever the new
 * incident says. Finds no similar incidents.
 */
public final class PopularityRecommender implements Recommender {

  private final List<RankedResolution> ranking;

  private PopularityRecommender(List<RankedResolution> ranking) {
    this.ranking = ranking;
  }

  public static PopularityRecommender train(List<LabelledIncident> history) {
    Map<String, Integer> counts = new TreeMap<>();
    history.forEach(i -> i.resolutions().forEach(r -> counts.merge(r, 1, Integer::sum)));
    List<RankedResolution> ranking = new ArrayList<>();
    // Sorted by count, then by name (TreeMap order, stable sort): the same ranking every run.
    counts.forEach((c, n) -> ranking.add(new RankedResolution(c, n / (double) history.size())));
    ranking.sort((a, b) -> Double.compare(b.score(), a.score()));
    return new PopularityRecommender(List.copyOf(ranking));
  }

  @Override
  public List<SimilarIncident> similar(String text, int k) {
    return List.of();
  }

  @Override
  public List<RankedResolution> recommend(String text, int k) {
    return ranking.subList(0, Math.min(k, ranking.size()));
  }
}
