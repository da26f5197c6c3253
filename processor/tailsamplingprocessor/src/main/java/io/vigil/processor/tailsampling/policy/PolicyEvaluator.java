package io.vigil.processor.tailsampling.policy;

/**
 * Decides one policy for one trace. Evaluators with state (the rate limits) are called by one
 * thread at a time: the processor decides traces in order on its decision thread.
 */
@FunctionalInterface
public interface PolicyEvaluator {

  Decision evaluate(BufferedTrace trace);
}
