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
import java.util.stream.IntStream;

/**
 * Recommends resolutions from the most similar past incidents. Similarity fuses two rankings
 * of the history with reciprocal rank fusion (score = Σ 1 / (60 + rank), Cormack et al. 2009):
 * BM25 over the words (exact service and error names) and cosine of the sentence embeddings
 * (paraphrases). RRF needs no score calibration between the two, which is why it is used. The
 * {@code neighbours} most similar incidents with a known resolution then vote for their
 * resolution categories. How they vote is a {@link Voting}: by default 10 neighbours, each
 * weighted by its fused score. It can instead be chosen by leave-one-out inside the history
 * (each past incident recommended from the others, best hit@1 + hit@3) among neighbour counts,
 * vote weights (fused score, or the embedding cosine through a softmax whose temperature is
 * thereby learned), a share of the categories' popularity and a share of the categories that
 * ended incidents of the cause the neighbours point to; on the post-mortems that choice did
 * worse than the fixed default (docs/evaluation.md), so it is an option, not the default. The
 * categories' overall popularity breaks ties and fills the ranking.
 */
public final class HybridRecommender implements Recommender {

  /** Rank constant of reciprocal rank fusion, the value of the original paper. */
  static final int RRF_K = 60;
  /** Neighbours that vote, fixed before any evaluation. */
  public static final int DEFAULT_NEIGHBOURS = 10;

  /** Which rankings are fused; {@link #FUSED} is the default, the others are ablations. */
  public enum Retrieval { FUSED, LEXICAL, SEMANTIC }

  /**
   * How neighbours vote. {@code temperature} 0: each neighbour weighs its fused score (the
   * first default); above 0: exp((cosine − best cosine) / temperature). The votes, normalised
   * to sum 1, are added to {@code popularityWeight} times each category's share of the history
   * and {@code causeWeight} times Σ over causes of (the neighbours' weighted share of that cause)
   * × (the share of that cause's past incidents the category ended).
   */
  public record Voting(int neighbours, double temperature, double popularityWeight,
      double causeWeight) {

      /** Fused-score weights of {@code neighbours} neighbours (the default has 10). */
    public static Voting fixed(int neighbours) {
      return new Voting(neighbours, 0, 0, 0);
    }

    /**
     * The candidates leave-one-out chooses from, the first default first (ties go to it); fixed
     * before the evaluation of the round that introduced them.
     */
    public static List<Voting> grid() {
      List<Voting> grid = new ArrayList<>();
      for (double cause : new double[] {0, 0.5}) {
        for (double pop : new double[] {0, 0.5}) {
          for (double t : new double[] {0, 0.02, 0.05, 0.1}) {
            for (int n : new int[] {DEFAULT_NEIGHBOURS, 5, 20}) {
              grid.add(new Voting(n, t, pop, cause));
            }
          }
        }
      }
      return List.copyOf(grid);
    }
  }

  /** One past incident with its embedding, as saved. */
  record Entry(LabelledIncident incident, float[] embedding) {}

  record Saved(String embedder, int neighbours, Retrieval retrieval, List<Entry> history,
      Voting voting) {}

  /** History positions, best first, with their fused scores and embedding cosines. */
  private record Ranking(List<Integer> order, Map<Integer, Double> fused, double[] cosine) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SentenceEmbedder embedder;
  private final List<Entry> history;
  private final Retrieval retrieval;
  private final Voting voting;
  private final Bm25Index bm25;
  /** How many history incidents each category ended, and how many of each cause's. */
  private final Map<String, Integer> categoryCount = new HashMap<>();

  private final Map<String, Map<String, Integer>> categoryCountByCause = new HashMap<>();
  private final Map<String, Integer> causeCount = new HashMap<>();

  private HybridRecommender(SentenceEmbedder embedder, List<Entry> history, Voting voting,
      Retrieval retrieval) {
    this.embedder = embedder;
    this.history = List.copyOf(history);
    this.voting = voting;
    this.retrieval = retrieval == null ? Retrieval.FUSED : retrieval;
    this.bm25 = new Bm25Index(history.stream().map(e -> e.incident().text()).toList(), null);
    for (Entry e : history) {
      LabelledIncident i = e.incident();
      i.resolutions().forEach(r -> categoryCount.merge(r, 1, Integer::sum));
      if (i.cause() != null && !i.resolutions().isEmpty()) {
        causeCount.merge(i.cause(), 1, Integer::sum);
        i.resolutions().forEach(r -> categoryCountByCause
            .computeIfAbsent(i.cause(), c -> new HashMap<>()).merge(r, 1, Integer::sum));
      }
    }
  }

  /** Trained with the default voting: 10 neighbours, fused-score weights. */
  public static HybridRecommender train(List<LabelledIncident> history, SentenceEmbedder embedder) {
    return train(history, embedder, DEFAULT_NEIGHBOURS, Retrieval.FUSED);
  }

  /** Trained with fused-score votes of {@code neighbours} neighbours, no inner choice. */
  public static HybridRecommender train(List<LabelledIncident> history, SentenceEmbedder embedder,
      int neighbours, Retrieval retrieval) {
    return train(history, embedder, retrieval, List.of(Voting.fixed(neighbours)));
  }

  /** Trained with the candidate of {@code grid} that recommends best by leave-one-out. */
  public static HybridRecommender train(List<LabelledIncident> history, SentenceEmbedder embedder,
      Retrieval retrieval, List<Voting> grid) {
    List<float[]> vectors = embedder.embedAll(history.stream().map(LabelledIncident::text).toList());
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      entries.add(new Entry(history.get(i), vectors.get(i)));
    }
    HybridRecommender first = new HybridRecommender(embedder, entries, grid.get(0), retrieval);
    Voting best = grid.size() == 1 ? grid.get(0) : first.leaveOneOut(grid);
    return best.equals(grid.get(0)) ? first
        : new HybridRecommender(embedder, entries, best, retrieval);
  }

  /**
   * The candidate with the most hits at 1 plus hits at 3 when each past incident with a known
   * resolution is recommended from all the others (its own counts left out of every share).
   */
  private Voting leaveOneOut(List<Voting> grid) {
    // Queries run in parallel (the index and the stored embeddings are only read); hit counts
    // are sums, so the choice does not depend on the thread count.
    int[] hits = IntStream.range(0, history.size()).parallel().mapToObj(q -> {
      int[] h = new int[grid.size()];
      LabelledIncident query = history.get(q).incident();
      if (query.resolutions().isEmpty()) {
        return h;
      }
      Ranking ranking = ranking(query.text(), history.get(q).embedding());
      for (int g = 0; g < grid.size(); g++) {
        List<RankedResolution> ranked = rank(ranking, q, grid.get(g));
        for (int r = 0; r < Math.min(3, ranked.size()); r++) {
          if (query.resolutions().contains(ranked.get(r).category())) {
            h[g] += r == 0 ? 2 : 1;
            break;
          }
        }
      }
      return h;
    }).reduce(new int[grid.size()], (a, b) -> {
      int[] sum = new int[a.length];
      for (int g = 0; g < a.length; g++) {
        sum[g] = a[g] + b[g];
      }
      return sum;
    });
    int best = 0;
    for (int g = 1; g < grid.size(); g++) {
      if (hits[g] > hits[best]) {
        best = g;
      }
    }
    return grid.get(best);
  }

  /** How its neighbours vote (chosen at training, kept by {@link #plus}). */
  public Voting voting() {
    return voting;
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
    return new HybridRecommender(embedder, new ArrayList<>(byId.values()), voting, retrieval);
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
    Ranking ranking = ranking(text, embedder.embed(text));
    List<SimilarIncident> out = new ArrayList<>();
    for (int h : ranking.order()) {
      if (out.size() == k) {
        break;
      }
      LabelledIncident i = history.get(h).incident();
      out.add(new SimilarIncident(i.id(), ranking.fused().get(h), i.cause(), i.resolutions()));
    }
    return out;
  }

  @Override
  public List<RankedResolution> recommend(String text, int k) {
    List<RankedResolution> ranked = rank(ranking(text, embedder.embed(text)), -1, voting);
    return ranked.subList(0, Math.min(k, ranked.size()));
  }

  /** Every category ranked for a query, leaving history position {@code left} (if ≥ 0) out. */
  private List<RankedResolution> rank(Ranking ranking, int left, Voting v) {
    Set<String> leftOut = left < 0 ? Set.of() : history.get(left).incident().resolutions();
    String leftCause = left < 0 || leftOut.isEmpty() ? null : history.get(left).incident().cause();
    Map<String, Double> votes = new HashMap<>();
    Map<String, Double> causes = new HashMap<>();
    double total = 0;
    double best = Double.NaN;
    int voters = 0;
    for (int h : ranking.order()) {
      LabelledIncident i = history.get(h).incident();
      if (h == left || i.resolutions().isEmpty()) {
        continue;
      }
      if (Double.isNaN(best)) {
        best = ranking.cosine()[h];
      }
      double w = v.temperature() > 0
          ? Math.exp((ranking.cosine()[h] - best) / v.temperature()) : ranking.fused().get(h);
      i.resolutions().forEach(r -> votes.merge(r, w, Double::sum));
      if (i.cause() != null) {
        causes.merge(i.cause(), w, Double::sum);
      }
      total += w;
      if (++voters == v.neighbours()) {
        break;
      }
    }
    double causeTotal = causes.values().stream().mapToDouble(Double::doubleValue).sum();
    int size = history.size() - (left < 0 ? 0 : 1);
    List<RankedResolution> ranked = new ArrayList<>();
    for (var e : categoryCount.entrySet()) {
      String category = e.getKey();
      int count = e.getValue() - (leftOut.contains(category) ? 1 : 0);
      if (count <= 0) {
        continue;
      }
      double popularity = count / (double) size;
      double score = (total > 0 ? votes.getOrDefault(category, 0.0) / total : 0)
          + v.popularityWeight() * popularity;
      if (v.causeWeight() > 0 && causeTotal > 0) {
        for (var c : causes.entrySet()) {
          int n = causeCount.get(c.getKey()) - (c.getKey().equals(leftCause) ? 1 : 0);
          int withCategory = categoryCountByCause.get(c.getKey()).getOrDefault(category, 0)
              - (c.getKey().equals(leftCause) && leftOut.contains(category) ? 1 : 0);
          if (n > 0) {
            score += v.causeWeight() * c.getValue() / causeTotal * withCategory / n;
          }
        }
      }
      // Popularity, scaled far below any vote, only orders what the scores tie on.
      ranked.add(new RankedResolution(category, score + 1e-6 * popularity));
    }
    ranked.sort(Comparator.comparingDouble(RankedResolution::score).reversed()
        .thenComparing(RankedResolution::category));
    return ranked;
  }

  /** The history ranked for a query text with embedding {@code q}. */
  private Ranking ranking(String text, float[] q) {
    Map<Integer, Double> score = new HashMap<>();
    if (retrieval != Retrieval.SEMANTIC) {
      List<Integer> lexical = bm25.search(text, history.size());
      for (int r = 0; r < lexical.size(); r++) {
        score.merge(lexical.get(r), 1.0 / (RRF_K + r + 1), Double::sum);
      }
    }
    double[] cos = new double[history.size()];
    for (int i = 0; i < cos.length; i++) {
      cos[i] = SentenceEmbedder.dot(q, history.get(i).embedding());
    }
    if (retrieval != Retrieval.LEXICAL) {
      List<Integer> semantic = new ArrayList<>();
      for (int i = 0; i < history.size(); i++) {
        semantic.add(i);
      }
      semantic.sort(Comparator.comparingDouble((Integer i) -> -cos[i]).thenComparing(i -> i));
      for (int r = 0; r < semantic.size(); r++) {
        score.merge(semantic.get(r), 1.0 / (RRF_K + r + 1), Double::sum);
      }
    }
    List<Map.Entry<Integer, Double>> sorted = new ArrayList<>(score.entrySet());
    sorted.sort(Map.Entry.<Integer, Double>comparingByValue().reversed()
        .thenComparing(Map.Entry.comparingByKey()));
    return new Ranking(sorted.stream().map(Map.Entry::getKey).toList(), score, cos);
  }

  public void save(Path file) {
    try {
      JSON.writeValue(file.toFile(), new Saved(SentenceEmbedder.MODEL_NAME, voting.neighbours(), retrieval,
          history, voting));
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
      // Files saved before votings were chosen name only the neighbour count.
      Voting voting = saved.voting() != null ? saved.voting() : Voting.fixed(saved.neighbours());
      return new HybridRecommender(embedder, saved.history(), voting, saved.retrieval());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load a recommender from " + file, e);
    }
  }
}
