package io.vigil.processor.logtemplate;

import io.vigil.analysis.logtemplate.LogTemplate;

import java.util.List;

/**
 * One anomaly found in a service's log stream, as it is emitted downstream.
 *
 * @param kind what departed from the usual
 * @param count records of the window (or 1 for a single record)
 * @param expected the usual count for such a window (0 for a new template)
 * @param traceIds example trace IDs, hex
 * @param severityNumber the OpenTelemetry severity number of the record that revealed the
 *     anomaly (0 = unspecified): a new message at ERROR is other news than one at INFO
 */
public record LogAnomaly(Kind kind, String service, LogTemplate template, String templateText,
    long count, double expected, long windowStartNanos, long windowEndNanos,
    List<String> traceIds, int severityNumber) {

  /** The kinds, named as the {@code vigil.anomaly.kind} attribute carries them. */
  public enum Kind {
    NEW_TEMPLATE("new_template"),
    TEMPLATE_SURGE("template_surge"),
    ERROR_SURGE("error_surge"),
    RARE_SEQUENCE("rare_sequence");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
