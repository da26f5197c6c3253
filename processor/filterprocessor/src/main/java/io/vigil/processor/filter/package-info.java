/**
 * The {@code filter} processor: drops spans, span events, metrics, data points and log records
 * that match any of its OTTL conditions, as the Collector's filterprocessor does.
 */
package io.vigil.processor.filter;
