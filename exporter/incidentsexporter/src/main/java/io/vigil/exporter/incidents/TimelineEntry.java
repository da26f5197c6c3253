package io.vigil.exporter.incidents;

import java.time.Instant;

/**
 * One change of an incident: who did what when, and the state it left the incident in.
 *
 * @param action {@code opened}, {@code acknowledged}, {@code resolved}, {@code reopened} or
 *     {@code reclassified}
 * @param actor who did it: the name an API caller gave, or {@code vigil} for changes the
 *     exporter made itself (opening, reopening on recurrence)
 */
public record TimelineEntry(Instant at, String actor, String action, IncidentState state,
    String note) {}
