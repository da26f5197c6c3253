package io.vigil.exporter.vigilstore;

import java.util.List;

/** One trace: its spans by start time, across services, and the log records that carry it. */
public record TraceView(String traceId, List<StoredSpan> spans, List<StoredLog> logs) {}
