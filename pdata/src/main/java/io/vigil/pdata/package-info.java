/**
 * Shared helpers for OTLP data as the pipeline carries it: attribute building and lookups, and
 * the anomaly-record contract that producers and consumers of anomalies share.
 */
package io.vigil.pdata;
