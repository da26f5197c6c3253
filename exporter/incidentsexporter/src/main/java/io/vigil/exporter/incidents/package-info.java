/**
 * The {@code incidents} exporter: groups anomaly records into incidents, keeps their evidence,
 * state and timeline in an embedded store, and serves them over an HTTP JSON API.
 *
 * <p>The types at this package's root are the API other modules build on: the incident model
 * ({@link io.vigil.exporter.incidents.Incident} and its parts) and the two extension points,
 * {@link io.vigil.exporter.incidents.CauseClassifier} and
 * {@link io.vigil.exporter.incidents.Recommender}, found with {@link java.util.ServiceLoader}
 * by the name the config gives. Everything in {@code internal} may change.
 */
package io.vigil.exporter.incidents;
