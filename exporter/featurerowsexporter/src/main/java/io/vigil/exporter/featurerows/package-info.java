/**
 * The {@code featurerows} exporter: metrics in, one row of named features per service and
 * window out, into hourly Parquet files for training failure predictors ({@code vigil-train}).
 */
package io.vigil.exporter.featurerows;
