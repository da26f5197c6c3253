/**
 * What the {@code featurerows} exporter and the {@code failureprediction} connector share: the
 * feature selections ({@code window}, {@code features}), the code that turns metrics into one
 * row of named features per service and window ({@link io.vigil.featurerows.FeatureRowBuilder}),
 * so that a model is fed live exactly the features it was trained on, and the versioned model
 * registry ({@link io.vigil.featurerows.ModelRegistry}) that {@code vigil-train} writes and the
 * connector reads.
 */
package io.vigil.featurerows;
