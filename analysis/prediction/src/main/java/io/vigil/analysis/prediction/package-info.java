/**
 * {@code vigil-train}: builds the labelled set "this service fails within the next H minutes"
 * from the {@code featurerows} exporter's Parquet files and the demo's fault labels, splits it
 * by time (or by run), trains a random forest or gradient-boosted trees, evaluates it on the
 * later part, and publishes the ONNX model with its metadata to a model registry.
 */
package io.vigil.analysis.prediction;
