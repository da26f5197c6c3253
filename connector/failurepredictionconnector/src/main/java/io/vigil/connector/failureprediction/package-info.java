/**
 * The {@code failureprediction} connector: metrics in, feature rows built as the
 * {@code featurerows} exporter builds them, scored by the model registry's current ONNX model,
 * and failure predictions out as anomaly records (kind {@code failure_prediction}).
 */
package io.vigil.connector.failureprediction;
