/** The sampling policies: one evaluator per policy type, and how their decisions combine. */
package io.vigil.processor.tailsampling.policy;
