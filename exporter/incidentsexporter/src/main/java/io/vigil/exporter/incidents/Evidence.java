package io.vigil.exporter.incidents;

import java.time.Instant;
import java.util.List;

/**
 * One anomaly record kept as evidence of an incident.
 *
 * @param key identifies the anomaly (kind, service, series or template, window): the same
 *     anomaly delivered twice has the same key and is counted once
 * @param signature what recurs when the same fault comes back: service and template ID, or
 *     service and metric series, or service and kind when the record has neither
 * @param series the metric series (name and labels) of a metric anomaly, else null
 * @param templateId the log template's ID of a log anomaly, else null
 * @param template the log template's text, else null
 * @param body the record's body: the detector's description of what it saw
 * @param score the anomaly score from 0 to 1, or null when the detector gives none (the log
 *     detectors do not)
 * @param received when this gateway stored it
 * @param traceOrigin the service of the deepest erroring span on these traces, as the spans this
 *     exporter saw tell it (the failure the others only passed on); null when it saw none of
 *     their spans or none of them erred
 * @param held true when the record was first held as a weak signal and filed with this incident
 *     only when stronger evidence came (see the opening policy): it is context, often from before
 *     the trouble, so it does not date the incident ({@link Incident#started()})
 */
public record Evidence(String key, String signature, String kind, String source, String service,
    String series, String templateId, String template, String body, Double score,
    Instant windowStart, Instant windowEnd, List<String> traceIds, Instant received,
    String traceOrigin, boolean held) {

  public Evidence {
    traceIds = List.copyOf(traceIds);
  }

  /** A record as a detector sent it: not (yet) a held signal. */
  public Evidence(String key, String signature, String kind, String source, String service,
      String series, String templateId, String template, String body, Double score,
      Instant windowStart, Instant windowEnd, List<String> traceIds, Instant received,
      String traceOrigin) {
    this(key, signature, kind, source, service, series, templateId, template, body, score,
        windowStart, windowEnd, traceIds, received, traceOrigin, false);
  }

  /** This evidence with its traces' origin set (spans arrive after the anomaly, too). */
  public Evidence withTraceOrigin(String origin) {
    return new Evidence(key, signature, kind, source, service, series, templateId, template, body,
        score, windowStart, windowEnd, traceIds, received, origin, held);
  }

  /** This evidence as filed after being held as a weak signal. */
  public Evidence asHeld() {
    return new Evidence(key, signature, kind, source, service, series, templateId, template, body,
        score, windowStart, windowEnd, traceIds, received, traceOrigin, true);
  }
}
