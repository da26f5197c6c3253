package io.vigil.exporter.incidents;

import java.time.Instant;

/**
 * A filter over stored incidents; null fields do not filter.
 *
 * @param service incidents with evidence from this service
 * @param since incidents updated (evidence or state) at or after this instant
 * @param limit at most this many, most recently updated first
 */
public record IncidentQuery(IncidentState state, String service, Instant since, int limit) {

  public static IncidentQuery all(int limit) {
    return new IncidentQuery(null, null, null, limit);
  }
}
