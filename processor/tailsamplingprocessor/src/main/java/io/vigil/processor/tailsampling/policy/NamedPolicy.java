package io.vigil.processor.tailsampling.policy;

/** A top-level policy: its name (the {@code policy} label of its decision counts) and evaluator. */
public record NamedPolicy(String name, PolicyEvaluator evaluator) {}
