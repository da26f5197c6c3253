package io.vigil.exporter.incidents.internal;

import io.vigil.exporter.incidents.Evidence;

/**
 * An anomaly record as the opening policy weighs it: its evidence, and the severity number of
 * the log record that revealed it (null when the producer gave none, as metric detectors and
 * older log producers do).
 */
public record AnomalySignal(Evidence evidence, Integer severityNumber) {}
