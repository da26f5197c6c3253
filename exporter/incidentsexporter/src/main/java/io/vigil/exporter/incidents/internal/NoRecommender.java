package io.vigil.exporter.incidents.internal;

import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.Recommendation;
import io.vigil.exporter.incidents.Recommender;
import java.util.List;

/** {@code recommender: none}: no similar incidents are suggested. */
public final class NoRecommender implements Recommender {
  @Override
  public String name() {
    return "none";
  }

  @Override
  public List<Recommendation> similar(Incident incident, int k) {
    return List.of();
  }
}
