package io.vigil.analysis.incidents;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recommends resolutions from the most similar past incidents. Similarity fuses two rankings
 * of the history with reciprocal rank fusion (score = Σ 1 / (60 + rank), Cormack et al. 2009):
 * BM25 over the words (exact service and error names) and cosine of the sentence embeddings
 * (paraphrases). RRF needs no score calibration between the two, which is why it is used. The
 * {@code neighbours} most similar incidents with a known resolution then vote for their
 * resolution categories, each vote weighted by the neighbour's fused score; the categories'
 * overall popularity breaks ties and fills the ranking when neighbours name few categories.
 */
public final class HybridRecommender implements Recommender {

  /** Rank constant of reciprocal rank fusion, the value of the original paper. */
  static final int RRF_K = 60;
  /** Neighbours that vote, fixed before any evaluation. */
  public static final int DEFAULT_NEIGHBOURS = 10;

  /** Which rankings are fused; {@link #FUSED} is the default, the others are ablations. */
  public enum Retrieval { FUSED, LEXICAL, SEMANTIC }

  /** One past incident with its embedding, as saved. */
  record Entry(LabelledIncident incident, float[] embedding) {}

  record Saved(String embedder, int neighbours, Retrieval retrieval, List<Entry> history) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SentenceEmbedder embedder;
  private final List<Entry> history;
  private final int neighbours;
  private final Retrieval retrieval;
  private final Bm25Index bm25;
  private final Map<String, Double> popularity = new HashMap<>();

  private HybridRecommender(SentenceEmbedder embedder, List<Entry> history, int neighbours,
      Retrieval retrieval) {
    this.embedder = embedder;
    this.history = List.copyOf(history);
    this.neighbours = neighbours;
    this.retrieval = retrieval == null ? Retrieval.FUSED : retrieval;
    this.bm25 = new Bm25Index(history.stream().map(e -> e.incident().text()).toList(), null);
    PopularityRecommender.train(history.stream().map(Entry::incident).toList())
        .recommend("", Integer.MAX_VALUE)
        .forEach(r -> popularity.put(r.category(), r.score()));
  }

  public static HybridRecommender train(List<LabelledIncident> history, SentenceEmbedder embedder) {
    return train(history, embedder, DEFAULT_NEIGHBOURS, Retrieval.FUSED);
  }

  public static HybridRecommender train(List<LabelledIncident> history, SentenceEmbedder embedder,
      int neighbours, Retrieval retrieval) {
    List<float[]> vectors = embedder.embedAll(history.stream().map(LabelledIncident::text).toList());
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      entries.add(new Entry(history.get(i), vectors.get(i)));
    }
    return new HybridRecommender(embedder, entries, neighbours, retrieval);
  }

  /**
   * This recommender with {@code more} incidents added to its history (an incident with the ID
   * of one already there replaces it): only the new ones are embedded, so a knowledge base that
   * grows as incidents are resolved costs one embedding per resolution, not a retraining.
   */
  public HybridRecommender plus(List<LabelledIncident> more) {
    Map<String, Entry> byId = new java.util.LinkedHashMap<>();
    history.forEach(e -> byId.put(e.incident().id(), e));
    List<float[]> vectors = embedder.embedAll(more.stream().map(LabelledIncident::text).toList());
    for (int i = 0; i < more.size(); i++) {
      byId.put(more.get(i).id(), new Entry(more.get(i), vectors.get(i)));
    }
    return new HybridRecommender(embedder, new ArrayList<>(byId.values()), neighbours, retrieval);
  }

  /**
   * The highest score {@link #similar} can give: first in every ranking fused. Dividing by it
   * puts scores on 0..1.
   */
  public double bestPossibleScore() {
    return (retrieval == Retrieval.FUSED ? 2.0 : 1.0) / (RRF_K + 1);
  }

  /** The incidents it recommends from, in the order they were given. */
  public List<LabelledIncident> history() {
    return history.stream().map(Entry::incident).toList();
  }

  @Override
  public List<SimilarIncident> similar(String text, int k) {
    List<SimilarIncident> out = new ArrayList<>();
    for (var f : fused(text)) {
      if (out.size() == k) {
        break;
      }
      LabelledIncident i = history.get(f.getKey()).incident();
      out.add(new SimilarIncident(i.id(), f.getValue(), i.cause(), i.resolutions()));
    }
    return out;
  }

  @Override
  public List<RankedResolution> recommend(String text, int k) {
    Map<String, Double> votes = new HashMap<>();
    int voters = 0;
    for (var f : fused(text)) {
      Set<String> resolutions = history.get(f.getKey()).incident().resolutions();
      if (resolutions.isEmpty()) {
        continue;
      }
      resolutions.forEach(r -> votes.merge(r, f.getValue(), Double::sum));
      if (++voters == neighbours) {
        break;
      }
    }
    List<RankedResolution> ranked = new ArrayList<>();
    for (var p : popularity.entrySet()) {
      // Popularity is scaled far below one vote (≥ 1/(60+n)): it only orders what votes tie on.
      ranked.add(new RankedResolution(p.getKey(),
          votes.getOrDefault(p.getKey(), 0.0) + 1e-6 * p.getValue()));
    }
    ranked.sort(Comparator.comparingDouble(RankedResolution::score).reversed()
        .thenComparing(RankedResolution::category));
    return ranked.subList(0, Math.min(k, ranked.size()));
  }

  /** History positions with their fused score, best first. */
  private List<Map.Entry<Integer, Double>> fused(String text) {
    Map<Integer, Double> score = new HashMap<>();
    if (retrieval != Retrieval.SEMANTIC) {
      List<Integer> lexical = bm25.search(text, history.size());
      for (int r = 0; r < lexical.size(); r++) {
        score.merge(lexical.get(r), 1.0 / (RRF_K + r + 1), Double::sum);
      }
    }
    if (retrieval == Retrieval.LEXICAL) {
      return sorted(score);
    }
    float[] q = embedder.embed(text);
    List<Integer> semantic = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      semantic.add(i);
    }
    double[] cos = new double[history.size()];
    for (int i = 0; i < cos.length; i++) {
      cos[i] = SentenceEmbedder.dot(q, history.get(i).embedding());
    }
    semantic.sort(Comparator.comparingDouble((Integer i) -> -cos[i]).thenComparing(i -> i));
    for (int r = 0; r < semantic.size(); r++) {
      score.merge(semantic.get(r), 1.0 / (RRF_K + r + 1), Double::sum);
    }
    return sorted(score);
  }

  private static List<Map.Entry<Integer, Double>> sorted(Map<Integer, Double> score) {
    List<Map.Entry<Integer, Double>> out = new ArrayList<>(score.entrySet());
    out.sort(Map.Entry.<Integer, Double>comparingByValue().reversed()
        .thenComparing(Map.Entry.comparingByKey()));
    return out;
  }

  public void save(Path file) {
    try {
      JSON.writeValue(file.toFile(), new Saved(SentenceEmbedder.MODEL_NAME, neighbours, retrieval, history));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the recommender to " + file, e);
    }
  }

  public static HybridRecommender load(Path file, SentenceEmbedder embedder) {
    try {
      Saved saved = JSON.readValue(file.toFile(), Saved.class);
      if (!SentenceEmbedder.MODEL_NAME.equals(saved.embedder())) {
        throw new IllegalArgumentException(file + " holds " + saved.embedder()
            + " embeddings, not " + SentenceEmbedder.MODEL_NAME);
      }
      return new HybridRecommender(embedder, saved.history(), saved.neighbours(),
          saved.retrieval());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load a recommender from " + file, e);
    }
  }
}
