package io.vigil.eval.incidents;

import io.vigil.analysis.incidents.LabelledIncident;
import io.vigil.analysis.incidents.Recommender;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Scores a recommender trainer by leave-one-out (each incident with a known resolution is the
 * query once, recommended from all the others) or by a train/test split. Incidents whose
 * mitigations fall only in "other" have no resolution to hit and are not queries.
 */
public final class RecommendationEvaluation {

  private RecommendationEvaluation() {}

  public static RankingScores leaveOneOut(List<LabelledIncident> incidents,
      Function<List<LabelledIncident>, Recommender> trainer) {
    RankingScores scores = new RankingScores();
    for (int q = 0; q < incidents.size(); q++) {
      LabelledIncident query = incidents.get(q);
      if (query.resolutions().isEmpty()) {
        continue;
      }
      List<LabelledIncident> history = new ArrayList<>(incidents);
      history.remove(q);
      scores.add(trainer.apply(history).recommend(query.text(), 3), query.resolutions());
    }
    return scores;
  }

  public static RankingScores trainTest(List<LabelledIncident> train, List<LabelledIncident> test,
      Function<List<LabelledIncident>, Recommender> trainer) {
    Recommender recommender = trainer.apply(train);
    RankingScores scores = new RankingScores();
    for (LabelledIncident query : test) {
      if (!query.resolutions().isEmpty()) {
        scores.add(recommender.recommend(query.text(), 3), query.resolutions());
      }
    }
    return scores;
  }
}
