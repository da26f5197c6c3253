package io.vigil.analysis.prediction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.analysis.onnx.OnnxModel;
import io.vigil.featurerows.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The model in use (the champion, {@code current} in the registry) against a newly trained one
 * (the challenger), scored on the same held-out rows, each at its own threshold. The challenger
 * replaces the champion only when it is better there: a higher F1 of "fails within H" on the
 * rows, or the same F1 with more faults predicted. Ties keep the champion, since a swap costs a
 * reload and buys nothing. Before any of that, the challenger must beat alarming on every row
 * (its F1 above {@link Evaluation#alwaysAlarmF1()}): a model without skill is stored for study
 * but never made current, not even into an empty registry, since the connector would page on
 * its noise. The same scoring measures drift: the champion's scores on the new
 * rows against the score histogram recorded when it was published.
 *
 * @param championVersion the version in use, empty when the registry had none
 * @param champion its evaluation on the challenger's test rows (null when there is none or it
 *     cannot score them)
 * @param promote whether the challenger should become current
 * @param reason why, in words, for the output and the model's metadata
 * @param drift PSI of the champion's scores now against its recorded ones (NaN when unknown)
 * @param championSawTestRows the champion was trained on some of the test files, so its figure
 *     flatters it
 */
public record ChampionChallenge(Optional<String> championVersion, Evaluation champion,
    boolean promote, String reason, double drift, boolean championSawTestRows) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static ChampionChallenge decide(ModelRegistry registry, String name, LabelledSet test,
      List<String> features, Evaluation challenger, List<FaultLabel> faults, long horizonNanos,
      List<Path> testSourceFiles, long testFromNanos) throws IOException {
    Optional<ModelRegistry.Version> current = registry.current(name);
    Optional<String> noSkill = noSkill(challenger);
    if (current.isEmpty()) {
      return new ChampionChallenge(Optional.empty(), null, noSkill.isEmpty(),
          noSkill.orElse("no model in use yet"), Double.NaN, false);
    }
    ModelRegistry.Version v = current.get();
    JsonNode meta = Files.isRegularFile(v.metadataFile())
        ? JSON.readTree(v.metadataFile().toFile()) : JSON.createObjectNode();
    try (OnnxModel model = OnnxModel.load(Files.readAllBytes(v.modelFile()), v.toString())) {
      String theirs = model.metadata().getOrDefault("vigil.features", "");
      if (!theirs.equals(String.join(",", features))) {
        return new ChampionChallenge(Optional.of(v.version()), null, noSkill.isEmpty(),
            noSkill.orElse(v.version() + " reads other features (" + theirs + "), so it cannot"
                + " be scored on these rows"), Double.NaN, false);
      }
      double threshold = Double.parseDouble(
          model.metadata().getOrDefault("vigil.threshold", "0.5"));
      float[] scores = model.score(TrainingRun.floats(test.matrix()));
      Evaluation e = Evaluation.of(test, scores, threshold, faults, horizonNanos);
      double drift = recordedHistogram(meta)
          .map(h -> h.psi(ScoreHistogram.of(scores))).orElse(Double.NaN);
      boolean saw = sawAny(meta, testSourceFiles, testFromNanos);
      int cmp = Double.compare(f1(challenger), f1(e));
      if (cmp == 0) {
        cmp = Integer.compare(challenger.faultsPredicted(), e.faultsPredicted());
      }
      String figures = String.format(java.util.Locale.ROOT,
          "F1 %.3f and %d of %d faults predicted against %s's F1 %.3f and %d of %d",
          f1(challenger), challenger.faultsPredicted(), challenger.faults(), v.version(), f1(e),
          e.faultsPredicted(), e.faults());
      if (noSkill.isPresent()) {
        return new ChampionChallenge(Optional.of(v.version()), e, false, noSkill.get(), drift,
            saw);
      }
      return new ChampionChallenge(Optional.of(v.version()), e, cmp > 0,
          (cmp > 0 ? "better on the test rows: " : "not better on the test rows: ") + figures,
          drift, saw);
    }
  }

  /** Why the challenger has no skill on the test rows, empty when it has some. */
  private static Optional<String> noSkill(Evaluation challenger) {
    double baseline = challenger.alwaysAlarmF1();
    if (f1(challenger) > baseline) {
      return Optional.empty();
    }
    return Optional.of(String.format(java.util.Locale.ROOT, "no skill: F1 %.3f is not above"
        + " the %.3f of alarming on every row", f1(challenger), baseline));
  }

  /** F1 of the rows' "fails within H", 0 when nothing was predicted or nothing was positive. */
  public static double f1(Evaluation e) {
    double p = e.precision();
    double r = e.recall();
    if (Double.isNaN(p) || Double.isNaN(r) || p + r == 0) {
      return 0;
    }
    return 2 * p * r / (p + r);
  }

  private static Optional<ScoreHistogram> recordedHistogram(JsonNode meta) {
    JsonNode h = meta.at("/evaluation/score_histogram");
    if (!h.isArray() || h.size() != ScoreHistogram.BINS) {
      return Optional.empty();
    }
    long[] c = new long[ScoreHistogram.BINS];
    for (int i = 0; i < c.length; i++) {
      c[i] = h.get(i).asLong();
    }
    return Optional.of(new ScoreHistogram(c));
  }

  /** Whether the champion trained on a file the test rows come from, up to past their start. */
  private static boolean sawAny(JsonNode meta, List<Path> testSourceFiles, long testFromNanos) {
    Set<String> trainedOn = new HashSet<>();
    meta.at("/training/files").forEach(f -> trainedOn.add(f.asText()));
    if (testSourceFiles.stream().noneMatch(p -> trainedOn.contains(p.toString()))) {
      return false;
    }
    String to = meta.at("/training/to").asText("");
    if (to.isEmpty()) {
      return true;
    }
    java.time.Instant end = java.time.Instant.parse(to);
    return end.getEpochSecond() * 1_000_000_000L + end.getNano() > testFromNanos;
  }
}
