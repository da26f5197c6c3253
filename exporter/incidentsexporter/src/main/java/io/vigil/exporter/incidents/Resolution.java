package io.vigil.exporter.incidents;

import java.time.Instant;

/**
 * How an incident was resolved: the category (what the cause was) and a free-text note.
 *
 * @param at when it was resolved; null for a knowledge-base entry that does not say
 */
public record Resolution(String category, String note, Instant at) {}
