package io.vigil.analysis.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real all-MiniLM-L6-v2 model, run offline from the jar, on a handful of made-up incidents. */
class EmbeddingModelsTest {

  private static final SentenceEmbedder EMBEDDER = new SentenceEmbedder();

  private static List<LabelledIncident> incidents() {
    String[][] rows = {
        {"power", "Datacenter lost utility power, generators failed to start", "RESTORE_HARDWARE"},
        {"power", "Power outage in one availability zone after a storm", "RESTORE_HARDWARE"},
        {"power", "UPS failure cut electricity to a row of racks", "RESTORE_HARDWARE"},
        {"power", "Electrical fault took servers offline in the facility", "RESTORE_HARDWARE"},
        {"config", "A configuration change pushed to all regions broke request routing", "ROLL_BACK"},
        {"config", "Invalid settings deployed to the load balancer fleet", "ROLL_BACK"},
        {"config", "Misconfigured firewall rule blocked customer traffic after an update", "ROLL_BACK"},
        {"config", "Bad feature flag configuration rolled out globally", "ROLL_BACK"},
    };
    List<LabelledIncident> out = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      out.add(new LabelledIncident("i" + i, rows[i][1], rows[i][0], Set.of(rows[i][2])));
    }
    return out;
  }

  @Test
  void vectorsHave384UnitDimensionsAndParaphrasesAreCloser() {
    float[] a = EMBEDDER.embed("The database ran out of disk space");
    float[] b = EMBEDDER.embed("Storage volume for the DB became full");
    float[] c = EMBEDDER.embed("A fiber cut disconnected the region");
    assertThat(a).hasSize(SentenceEmbedder.DIMENSION);
    assertThat(SentenceEmbedder.dot(a, a)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(SentenceEmbedder.dot(a, b)).isGreaterThan(SentenceEmbedder.dot(a, c));
  }

  @Test
  void classifierLearnsSavesAndLoads(@TempDir Path dir) {
    var classifier = EmbeddingCauseClassifier.train(incidents(), EMBEDDER,
        EmbeddingCauseClassifier.Options.defaults().withInnerFolds(2, 1));
    String text = "Generators did not take over when the grid power failed";
    assertThat(classifier.classify(text).label()).isEqualTo("power");
    Path file = dir.resolve("cause.json");
    classifier.save(file);
    var loaded = EmbeddingCauseClassifier.load(file, EMBEDDER);
    assertThat(loaded.classify(text)).isEqualTo(classifier.classify(text));
    assertThat(loaded.classify(text).confidence()).isBetween(0.0, 1.0);
  }

  @Test
  void mixedClassifierKeepsItsChosenSettingsThroughSaveAndLoad(@TempDir Path dir) {
    var classifier = EmbeddingCauseClassifier.train(incidents(), EMBEDDER,
        EmbeddingCauseClassifier.Options.defaults().withInnerFolds(2, 1).withPerField(true)
            .withLexical(true).withNeighbourWeights(0.25).withPriorWeights(0.25));
    assertThat(classifier.settings()).contains("per field", "TF-IDF", "kNN 0.25", "prior 0.25");
    String text = "Generators did not take over when the grid power failed";
    assertThat(classifier.classify(text).label()).isEqualTo("power");
    Path file = dir.resolve("cause.json");
    classifier.save(file);
    var loaded = EmbeddingCauseClassifier.load(file, EMBEDDER);
    assertThat(loaded.settings()).isEqualTo(classifier.settings());
    assertThat(loaded.classify(text)).isEqualTo(classifier.classify(text));
  }

  @Test
  void classDescriptionPriorAloneNamesTheCauseWithoutExamples() {
    // Nearly all weight on the prior: the training labels only fix which classes exist.
    List<LabelledIncident> unrelated = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      unrelated.add(new LabelledIncident("h" + i, "Incident number " + i, "hardware", Set.of()));
      unrelated.add(new LabelledIncident("n" + i, "Incident code " + i, "network", Set.of()));
    }
    var classifier = EmbeddingCauseClassifier.train(unrelated, EMBEDDER,
        EmbeddingCauseClassifier.Options.regressionOnly().withL2Grid(1).withBalanced(false)
            .withPriorWeights(0.99));
    assertThat(classifier.classify("A fiber cut broke connectivity between the datacenters")
        .label()).isEqualTo("network");
    assertThat(classifier.classify("The cooling system failed and servers lost power")
        .label()).isEqualTo("hardware");
  }

  @Test
  void recommenderChoosesItsVotingByLeaveOneOutAndKeepsIt(@TempDir Path dir) {
    var recommender = HybridRecommender.train(incidents(), EMBEDDER,
        HybridRecommender.Retrieval.FUSED, HybridRecommender.Voting.grid());
    assertThat(HybridRecommender.Voting.grid()).contains(recommender.voting());
    String text = "A bad configuration push broke routing for all regions";
    assertThat(recommender.recommend(text, 1)).extracting(RankedResolution::category)
        .containsExactly("ROLL_BACK");
    Path file = dir.resolve("recommender.json");
    recommender.save(file);
    var loaded = HybridRecommender.load(file, EMBEDDER);
    assertThat(loaded.voting()).isEqualTo(recommender.voting());
    assertThat(loaded.recommend(text, 2)).isEqualTo(recommender.recommend(text, 2));
    var grown = recommender.plus(List.of(new LabelledIncident("new",
        "Routing configuration pushed to every region was wrong", "config", Set.of("ROLL_BACK"))));
    assertThat(grown.voting()).isEqualTo(recommender.voting());
  }

  @Test
  void recommenderFindsTheSimilarIncidentsAndTheirResolution(@TempDir Path dir) {
    var recommender = HybridRecommender.train(incidents(), EMBEDDER, 3,
        HybridRecommender.Retrieval.FUSED);
    String text = "A bad configuration push broke routing for all regions";
    assertThat(recommender.recommend(text, 1)).extracting(RankedResolution::category)
        .containsExactly("ROLL_BACK");
    assertThat(recommender.similar(text, 3)).extracting(SimilarIncident::cause)
        .contains("config");
    Path file = dir.resolve("recommender.json");
    recommender.save(file);
    assertThat(HybridRecommender.load(file, EMBEDDER).recommend(text, 2))
        .isEqualTo(recommender.recommend(text, 2));
  }

  @Test
  void lexicalAndMajorityBaselinesTrain() {
    var lexical = LexicalCauseClassifier.train(incidents(), 2, 1);
    assertThat(lexical.classify("power outage generators").label()).isEqualTo("power");
    assertThat(MajorityCauseClassifier.train(incidents()).classify("anything").confidence())
        .isEqualTo(0.5);
    assertThat(PopularityRecommender.train(incidents()).recommend("x", 5)).hasSize(2);
  }
}
