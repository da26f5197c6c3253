package io.vigil.exporter.incidents.minilm;

import io.vigil.analysis.incidents.HybridRecommender;
import io.vigil.analysis.incidents.LabelledIncident;
import io.vigil.analysis.incidents.ResolutionCategory;
import io.vigil.analysis.incidents.SimilarIncident;
import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.IncidentHistory;
import io.vigil.exporter.incidents.IncidentQuery;
import io.vigil.exporter.incidents.IncidentState;
import io.vigil.exporter.incidents.KnowledgeBase;
import io.vigil.exporter.incidents.Recommendation;
import io.vigil.exporter.incidents.Recommender;
import io.vigil.exporter.incidents.Resolution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code recommender: minilm}: past incidents like this one, with how they were resolved, from
 * the knowledge base (seed post-mortems) and every incident resolved in this store. Similarity
 * fuses BM25 and embedding cosine rankings (HybridRecommender). Resolved incidents are read
 * from the store on each call and only those not seen before are embedded, so a resolution a
 * person writes is recommended for the very next incident like it.
 */
public final class MiniLmRecommender implements Recommender {

  public static final String NAME = "minilm";
  /** Resolved incidents read from the store: the most recently updated ones. */
  static final int MAX_RESOLVED = 5000;

  private TrainedModels models;
  private IncidentHistory history;
  /** The seed plus resolved incidents, and the resolutions they were built from. */
  private HybridRecommender current;
  private Map<String, Resolution> resolvedInCurrent = Map.of();
  private final Map<String, Recommendation> seedEntries = new HashMap<>();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void validate(KnowledgeBase knowledgeBase) {
    KnowledgeBaseSource.validate(knowledgeBase, "recommender: " + NAME);
  }

  @Override
  public synchronized void bind(IncidentHistory history, KnowledgeBase knowledgeBase) {
    validate(knowledgeBase);
    this.models = TrainedModels.of(knowledgeBase);
    this.history = history;
    this.current = models.recommender();
    for (LabelledIncident seed : current.history()) {
      seedEntries.put(seed.id(), seedRecommendation(seed));
    }
  }

  @Override
  public synchronized List<Recommendation> similar(Incident incident, int k) {
    if (models == null || k <= 0) {
      return List.of();
    }
    Map<String, Incident> resolved = refresh();
    List<Recommendation> out = new ArrayList<>();
    for (SimilarIncident s : current.similar(IncidentDocument.text(incident), k + 1)) {
      if (s.id().equals(incident.id()) || out.size() == k) {
        continue;
      }
      double similarity = Math.min(1, s.score() / current.bestPossibleScore());
      Incident past = resolved.get(s.id());
      if (past != null) {
        out.add(new Recommendation(past.id(), similarity, past.title(), past.resolution()));
      } else {
        Recommendation seed = seedEntries.get(s.id());
        out.add(new Recommendation(seed.incidentId(), similarity, seed.title(),
            seed.resolution()));
      }
    }
    return out;
  }

  /** Adds incidents resolved (or re-resolved) since the last call; returns them all by ID. */
  private Map<String, Incident> refresh() {
    Map<String, Incident> resolved = history.list(
        new IncidentQuery(IncidentState.RESOLVED, null, null, MAX_RESOLVED)).stream()
        .filter(i -> i.resolution() != null)
        .collect(Collectors.toMap(Incident::id, i -> i, (a, b) -> a));
    List<LabelledIncident> added = new ArrayList<>();
    for (Incident i : resolved.values()) {
      if (!i.resolution().equals(resolvedInCurrent.get(i.id()))) {
        added.add(IncidentDocument.labelled(i));
      }
    }
    if (!added.isEmpty()) {
      current = current.plus(added);
      Map<String, Resolution> now = new HashMap<>(resolvedInCurrent);
      resolved.values().forEach(i -> now.put(i.id(), i.resolution()));
      resolvedInCurrent = now;
    }
    return resolved;
  }

  /**
   * A post-mortem as a recommendation: its title (the first line of its text), its cause as
   * the category, and what ended it as the note.
   */
  private static Recommendation seedRecommendation(LabelledIncident seed) {
    String title = seed.text().lines().findFirst().orElse(seed.id());
    List<String> done = new ArrayList<>();
    for (String r : seed.resolutions()) {
      try {
        done.add(ResolutionCategory.valueOf(r).description());
      } catch (IllegalArgumentException e) {
        done.add(r); // a user's own category name
      }
    }
    return new Recommendation(seed.id(), 0, title, new Resolution(
        seed.cause() == null ? "unknown" : seed.cause(),
        done.isEmpty() ? "" : "mitigation: " + String.join("; ", done), null));
  }
}
