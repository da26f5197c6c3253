package io.vigil.eval.incidents;

import io.vigil.analysis.incidents.Cause;
import io.vigil.analysis.incidents.CauseClassifier;
import io.vigil.analysis.incidents.CauseTaxonomy;
import io.vigil.analysis.incidents.ClassificationScores;
import io.vigil.analysis.incidents.EmbeddingCauseClassifier;
import io.vigil.analysis.incidents.HybridRecommender;
import io.vigil.analysis.incidents.HybridRecommender.Retrieval;
import io.vigil.analysis.incidents.HybridRecommender.Voting;
import io.vigil.analysis.incidents.Incident;
import io.vigil.analysis.incidents.IncidentJsonl;
import io.vigil.analysis.incidents.LabelledIncident;
import io.vigil.analysis.incidents.LexicalCauseClassifier;
import io.vigil.analysis.incidents.MajorityCauseClassifier;
import io.vigil.analysis.incidents.PopularityRecommender;
import io.vigil.analysis.incidents.Recommender;
import io.vigil.analysis.incidents.ResolutionCategory;
import io.vigil.analysis.incidents.ResolutionTaxonomy;
import io.vigil.analysis.incidents.SentenceEmbedder;
import io.vigil.eval.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue #20: root-cause classification (stratified k-fold CV, majority / lexical / embedding in
 * the same run on the same folds) and resolution recommendation (leave-one-out, hybrid vs most
 * popular categories) on the shared post-mortems, or trained on one JSONL file and scored on
 * another.
 */
@Command(name = "incidents", mixinStandardHelpOptions = true,
    description = "Cause classification and resolution recommendation on post-mortems")
public final class IncidentsEvaluation implements Callable<Integer> {

  public static final long DEFAULT_SEED = 20261128L;

  @Option(names = "--data", description = "post-mortems JSONL (default:"
      + " ../shared/data/incidents/postmortems.jsonl)")
  Path data;

  @Option(names = "--train", description = "train on this JSONL file (with --test)")
  Path train;

  @Option(names = "--test", description = "score on this JSONL file (with --train)")
  Path test;

  @Option(names = "--folds", description = "cross-validation folds (default 5)")
  int folds = 5;

  @Option(names = "--seed", description = "seed of the fold assignment (default 20261128)")
  long seed = DEFAULT_SEED;

  @Option(names = "--only", description = "classification or recommendation (default: both)")
  String only;

  @Option(names = "--ablations", description = "also score the variants docs/evaluation.md"
      + " reports as tried (no class weights, title and summary only, one retrieval alone)")
  boolean ablations;

  @Option(names = "--ablation", description = "with --ablations: only the variants whose name"
      + " contains this text, beside the baselines (majority, lexical, popularity)")
  String ablationFilter;

  /** Figures of one run, by method name, in the order printed. */
  public record Report(Map<String, ClassificationScores> classification,
      Map<String, RankingScores> recommendation, Map<String, String> settings) {}

  public static Optional<Path> sharedFile() {
    return SharedData.folder("incidents").map(d -> d.resolve("postmortems.jsonl"))
        .filter(Files::isRegularFile);
  }

  static List<LabelledIncident> labelled(List<Incident> incidents,
      Function<Incident, String> text) {
    List<LabelledIncident> out = new ArrayList<>();
    for (Incident i : incidents) {
      LabelledIncident l = LabelledIncident.of(i);
      out.add(new LabelledIncident(l.id(), text.apply(i), l.cause(), l.resolutions()));
    }
    return out;
  }

  private record Method(String name, Function<List<LabelledIncident>, CauseClassifier> trainer,
      Function<Incident, String> text) {}

  private record RecommenderMethod(String name,
      Function<List<LabelledIncident>, Recommender> trainer) {}

  private static List<Method> methods(SentenceEmbedder embedder, boolean ablations) {
    Function<Incident, String> detection = Incident::detectionText;
    EmbeddingCauseClassifier.Options first = EmbeddingCauseClassifier.Options.regressionOnly();
    double[] mixing = {0, 0.25, 0.5};
    List<Method> m = new ArrayList<>();
    m.add(new Method("majority class", MajorityCauseClassifier::train, detection));
    m.add(new Method("lexical: BM25 kNN (Lucene)", LexicalCauseClassifier::train, detection));
    m.add(new Method("embedding: MiniLM + softmax regression, kNN and prior mixed by inner CV",
        l -> EmbeddingCauseClassifier.train(l, embedder), detection));
    if (ablations) {
      m.add(new Method("  ablation: the first default (regression alone, joint embedding)",
          embedding(embedder, first), detection));
      m.add(new Method("  ablation: first default, always balanced class weights",
          embedding(embedder, first.withBalanced(true)), detection));
      m.add(new Method("  ablation: first default, never class weights",
          embedding(embedder, first.withBalanced(false)), detection));
      m.add(new Method("  ablation: first default, each field embedded alone, averaged",
          embedding(embedder, first.withPerField(true)), detection));
      m.add(new Method("  ablation: first default, title + summary only",
          embedding(embedder, first),
          i -> i.title() + "\n" + (i.summary() == null ? "" : i.summary())));
      m.add(new Method("  ablation: first default, fixed L2 = 0.1, no inner CV",
          embedding(embedder, first.withL2Grid(0.1)), detection));
      m.add(new Method("  ablation: first default + joint or per field by inner CV",
          embedding(embedder, first.withPerField(false, true)), detection));
      m.add(new Method("  ablation: first default + kNN vote mixed by inner CV",
          embedding(embedder, first.withNeighbourWeights(mixing)), detection));
      m.add(new Method("  ablation: first default + class-description prior mixed by inner CV",
          embedding(embedder, first.withPriorWeights(mixing)), detection));
      m.add(new Method("  ablation: first default + TF-IDF features always",
          embedding(embedder, first.withLexical(true)), detection));
      m.add(new Method("  ablation: first default + TF-IDF features or not by inner CV",
          embedding(embedder, first.withLexical(false, true)), detection));
    }
    return m;
  }

  private static Function<List<LabelledIncident>, CauseClassifier> embedding(
      SentenceEmbedder embedder, EmbeddingCauseClassifier.Options options) {
    return l -> EmbeddingCauseClassifier.train(l, embedder, options);
  }

  private static List<RecommenderMethod> recommenders(SentenceEmbedder embedder,
      boolean ablations) {
    List<RecommenderMethod> m = new ArrayList<>();
    m.add(new RecommenderMethod("most popular categories", PopularityRecommender::train));
    m.add(new RecommenderMethod("hybrid: BM25 + embedding, RRF, 10 neighbours vote",
        h -> HybridRecommender.train(h, embedder)));
    if (ablations) {
      int n = HybridRecommender.DEFAULT_NEIGHBOURS;
      List<Voting> grid = Voting.grid();
      m.add(new RecommenderMethod("  ablation: voting chosen by leave-one-out (48 candidates)",
          h -> HybridRecommender.train(h, embedder, Retrieval.FUSED, grid)));
      m.add(new RecommenderMethod("  ablation: BM25 neighbours only",
          h -> HybridRecommender.train(h, embedder, n, Retrieval.LEXICAL)));
      m.add(new RecommenderMethod("  ablation: embedding neighbours only",
          h -> HybridRecommender.train(h, embedder, n, Retrieval.SEMANTIC)));
      for (int k : new int[] {5, 20}) {
        m.add(new RecommenderMethod("  ablation: " + k + " neighbours vote",
            h -> HybridRecommender.train(h, embedder, k, Retrieval.FUSED)));
      }
      m.add(new RecommenderMethod("  ablation: only the temperature and neighbour count chosen",
          h -> HybridRecommender.train(h, embedder, Retrieval.FUSED, grid.stream()
              .filter(v -> v.popularityWeight() == 0 && v.causeWeight() == 0).toList())));
      m.add(new RecommenderMethod("  ablation: only the popularity share chosen",
          h -> HybridRecommender.train(h, embedder, Retrieval.FUSED, grid.stream()
              .filter(v -> v.temperature() == 0 && v.neighbours() == n && v.causeWeight() == 0)
              .toList())));
      m.add(new RecommenderMethod("  ablation: only the cause-conditioned share chosen",
          h -> HybridRecommender.train(h, embedder, Retrieval.FUSED, grid.stream()
              .filter(v -> v.temperature() == 0 && v.neighbours() == n
                  && v.popularityWeight() == 0).toList())));
      m.add(new RecommenderMethod("  ablation: voting chosen, embedding neighbours only",
          h -> HybridRecommender.train(h, embedder, Retrieval.SEMANTIC, grid)));
    }
    return m;
  }

  /** Cross-validated classification and leave-one-out recommendation on one file. */
  public static Report crossValidate(List<Incident> incidents, int folds, long seed,
      boolean ablations, SentenceEmbedder embedder) {
    return crossValidate(incidents, folds, seed, ablations, embedder, null);
  }

  static Report crossValidate(List<Incident> incidents, int folds, long seed,
      boolean ablations, SentenceEmbedder embedder, String only) {
    return crossValidate(incidents, folds, seed, ablations, embedder, only, "");
  }

  private static final List<String> BASELINES =
      List.of("majority class", "lexical: BM25 kNN (Lucene)", "most popular categories");

  private static boolean selected(String name, String filter) {
    return filter == null || filter.isEmpty() || name.contains(filter) || BASELINES.contains(name);
  }

  static Report crossValidate(List<Incident> incidents, int folds, long seed,
      boolean ablations, SentenceEmbedder embedder, String only, String filter) {
    Map<String, ClassificationScores> classification = new LinkedHashMap<>();
    Map<String, String> settings = new LinkedHashMap<>();
    for (Method m : "recommendation".equals(only) ? List.<Method>of()
        : methods(embedder, ablations)) {
      if (!selected(m.name(), filter)) {
        continue;
      }
      CauseCrossValidation cv = new CauseCrossValidation(labelled(incidents, m.text()), folds, seed);
      List<String> chosen = new ArrayList<>();
      classification.put(m.name(), cv.score(m.trainer(), c -> chosen.add(describe(c))));
      settings.put(m.name(), String.join(" ", chosen).strip());
      // Progress on stderr: a full run with ablations takes a while on a busy machine.
      System.err.printf(Locale.ROOT, "done: %s: accuracy %.3f, macro-F1 %.3f [%s]%n", m.name(),
          classification.get(m.name()).accuracy(), classification.get(m.name()).macroF1(),
          settings.get(m.name()));
    }
    List<LabelledIncident> all = labelled(incidents, Incident::detectionText);
    Map<String, RankingScores> recommendation = new LinkedHashMap<>();
    for (RecommenderMethod r : "classification".equals(only) ? List.<RecommenderMethod>of()
        : recommenders(embedder, ablations)) {
      if (!selected(r.name(), filter)) {
        continue;
      }
      Map<String, Integer> chosen = new LinkedHashMap<>();
      recommendation.put(r.name(), RecommendationEvaluation.leaveOneOut(all, h -> {
        Recommender trained = r.trainer().apply(h);
        chosen.merge(describe(trained), 1, Integer::sum);
        return trained;
      }));
      settings.put(r.name(), mostChosen(chosen));
      RankingScores done = recommendation.get(r.name());
      System.err.printf(Locale.ROOT, "done: %s: hit@1 %.3f, hit@3 %.3f, MRR %.3f [%s]%n",
          r.name(), done.hitAt1(), done.hitAt3(), done.mrr(), settings.get(r.name()));
    }
    return new Report(classification, recommendation, settings);
  }

  /** Trained on one file, scored on the other. */
  public static Report trainTest(List<Incident> train, List<Incident> test, boolean ablations,
      SentenceEmbedder embedder) {
    Map<String, ClassificationScores> classification = new LinkedHashMap<>();
    Map<String, String> settings = new LinkedHashMap<>();
    for (Method m : methods(embedder, ablations)) {
      List<String> chosen = new ArrayList<>();
      classification.put(m.name(), CauseCrossValidation.trainTest(labelled(train, m.text()),
          labelled(test, m.text()), l -> {
            CauseClassifier c = m.trainer().apply(l);
            chosen.add(describe(c));
            return c;
          }));
      settings.put(m.name(), String.join(" ", chosen).strip());
    }
    Map<String, RankingScores> recommendation = new LinkedHashMap<>();
    for (RecommenderMethod r : recommenders(embedder, ablations)) {
      recommendation.put(r.name(), RecommendationEvaluation.trainTest(
          labelled(train, Incident::detectionText), labelled(test, Incident::detectionText),
          r.trainer()));
    }
    return new Report(classification, recommendation, settings);
  }

  /** The setting chosen most often over the leave-one-out queries, and how often. */
  private static String mostChosen(Map<String, Integer> chosen) {
    int total = chosen.values().stream().mapToInt(Integer::intValue).sum();
    return chosen.entrySet().stream().max(Map.Entry.comparingByValue())
        .filter(e -> !e.getKey().isEmpty())
        .map(e -> e.getKey() + " in " + e.getValue() + " of " + total).orElse("");
  }

  private static String describe(Recommender r) {
    if (r instanceof HybridRecommender h) {
      Voting v = h.voting();
      return v.neighbours() + " neighbours, " + (v.temperature() > 0 ? "T " + v.temperature()
          : "fused-score votes") + (v.popularityWeight() > 0 ? ", popularity "
          + v.popularityWeight() : "") + (v.causeWeight() > 0 ? ", cause " + v.causeWeight() : "");
    }
    return "";
  }

  private static String describe(CauseClassifier c) {
    if (c instanceof EmbeddingCauseClassifier e) {
      return "[" + e.settings() + "]";
    }
    if (c instanceof LexicalCauseClassifier l) {
      return "k=" + l.k();
    }
    return "";
  }

  @Override
  public Integer call() {
    SentenceEmbedder embedder = new SentenceEmbedder();
    if (train != null || test != null) {
      if (train == null || test == null) {
        System.err.println("--train and --test go together");
        return 2;
      }
      List<Incident> a = IncidentJsonl.read(train);
      List<Incident> b = IncidentJsonl.read(test);
      System.out.printf("trained on %s (%d incidents), scored on %s (%d incidents)%n%n", train,
          a.size(), test, b.size());
      print(trainTest(a, b, ablations, embedder), "test set", "test set");
      return 0;
    }
    Path file = data != null ? data : sharedFile().orElse(null);
    if (file == null) {
      System.err.println("no post-mortems: expected ../shared/data/incidents/postmortems.jsonl"
          + " beside the project, or pass --data");
      return 2;
    }
    List<Incident> incidents = IncidentJsonl.read(file);
    printTaxonomies(incidents);
    print(crossValidate(incidents, folds, seed, ablations, embedder, only, ablationFilter),
        folds + "-fold stratified CV, seed " + seed, "leave-one-out");
    return 0;
  }

  private static void printTaxonomies(List<Incident> incidents) {
    Map<Cause, Integer> causes = new EnumMap<>(Cause.class);
    int unmapped = 0;
    for (Incident i : incidents) {
      Optional<Cause> c = CauseTaxonomy.of(i.rootCauses());
      if (c.isPresent()) {
        causes.merge(c.get(), 1, Integer::sum);
      } else {
        unmapped++;
      }
    }
    System.out.printf("%d incidents%n%n| cause | incidents |%n|---|---|%n", incidents.size());
    causes.forEach((c, n) -> System.out.printf("| %s | %d |%n", c.label(), n));
    System.out.printf("| (no mappable label: not used for classification) | %d |%n%n", unmapped);
    Map<ResolutionCategory, Integer> resolutions = new EnumMap<>(ResolutionCategory.class);
    int onlyOther = 0;
    for (Incident i : incidents) {
      var r = ResolutionTaxonomy.of(i.mitigations());
      r.forEach(c -> resolutions.merge(c, 1, Integer::sum));
      onlyOther += r.isEmpty() ? 1 : 0;
    }
    System.out.printf("| resolution category | incidents |%n|---|---|%n");
    resolutions.forEach((c, n) -> System.out.printf("| %s | %d |%n", c.description(), n));
    System.out.printf("| only \"other\" | %d (%.1f %%) |%n%n", onlyOther,
        100.0 * onlyOther / incidents.size());
  }

  static void print(Report report, String classificationProtocol, String recommendationProtocol) {
    System.out.printf("Cause classification (%s)%n%n", classificationProtocol);
    System.out.println("| method | n | accuracy | macro-F1 | settings chosen on training folds |");
    System.out.println("|---|---|---|---|---|");
    report.classification().forEach((name, s) -> System.out.printf(Locale.ROOT,
        "| %s | %d | %.3f | %.3f | %s |%n", name, s.n(), s.accuracy(), s.macroF1(),
        report.settings().get(name)));
    System.out.printf("%nResolution recommendation (%s)%n%n", recommendationProtocol);
    System.out.println("| method | queries | hit@1 | hit@3 | MRR | voting chosen most often |");
    System.out.println("|---|---|---|---|---|---|");
    report.recommendation().forEach((name, s) -> System.out.printf(Locale.ROOT,
        "| %s | %d | %.3f | %.3f | %.3f | %s |%n", name, s.n(), s.hitAt1(), s.hitAt3(), s.mrr(),
        report.settings().getOrDefault(name, "")));
  }
}
