package io.vigil.analysis.incidents;

/**
 * One root-cause label of a post-mortem, in the three layers of Li et al. (ISSRE 2022), e.g.
 * {@code internal causes / software bugs / config}. Any layer may be null (not labelled).
 */
public record RootCauseLabel(String layer1, String layer2, String layer3) {}
