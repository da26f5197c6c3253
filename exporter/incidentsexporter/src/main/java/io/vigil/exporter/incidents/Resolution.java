package io.vigil.exporter.incidents;

import java.time.Instant;

/** How an incident was resolved: the category (what the cause was) and a free-text note. */
public record Resolution(String category, String note, Instant at) {}
