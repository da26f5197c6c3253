/**
 * What every exporter that sends over a network shares: the bounded sending queue, retries with
 * exponential backoff honouring the destination's requested delay, per-attempt timeouts, and
 * the accounting of dropped items.
 */
package io.vigil.exporter.exporterhelper;
