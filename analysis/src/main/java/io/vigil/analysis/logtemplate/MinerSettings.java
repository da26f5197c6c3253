package io.vigil.analysis.logtemplate;

/**
 * The template miner's settings. {@link #DEFAULTS} is the one generic configuration scored on
 * the Loghub systems (docs/evaluation.md); the {@code logtemplate} processor's config starts from
 * it, so the processor and the evaluations cannot drift apart.
 *
 * @param depth Drain's tree depth: the token-count level, then {@code depth - 2} leading tokens
 *     pick the leaf
 * @param similarityThreshold share of a template's constant tokens a message must repeat to
 *     join it
 * @param maxChildren children per tree node; beyond it leading tokens share one wildcard child
 * @param maxTemplates templates kept; the least recently matched is evicted beyond it
 * @param maxTokens tokens of a message considered; the rest counts as one variable
 * @param settleAfter messages a template matches before its constant tokens are fixed
 */
public record MinerSettings(int depth, double similarityThreshold, int maxChildren,
    int maxTemplates, int maxTokens, long settleAfter) {

  public static final MinerSettings DEFAULTS = new MinerSettings(4, 0.7, 100, 10_000, 128, 50);

  /** These settings with another template budget. */
  public MinerSettings withMaxTemplates(int n) {
    return new MinerSettings(depth, similarityThreshold, maxChildren, n, maxTokens, settleAfter);
  }

  /** A new, empty miner with these settings. */
  public TemplateMiner newMiner() {
    return new TemplateMiner(depth - 2, similarityThreshold, maxChildren, maxTemplates, maxTokens,
        settleAfter);
  }
}
