/**
 * The spanmetrics connector: RED metrics (request count, errors through status.code, latency
 * histogram) computed from spans, with exemplars pointing back at the spans, as the
 * collector's spanmetrics connector computes them.
 */
package io.vigil.connector.spanmetrics;
