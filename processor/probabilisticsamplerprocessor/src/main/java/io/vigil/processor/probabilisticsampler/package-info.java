/**
 * The {@code probabilistic_sampler} processor: stateless, consistent sampling of spans and log
 * records by trace ID (or a log attribute), with the Collector's three modes and the W3C
 * trace-state threshold rules.
 */
package io.vigil.processor.probabilisticsampler;
