package io.vigil.exporter.incidents;

/**
 * A cause label with the classifier's confidence in it, from 0 to 1.
 *
 * @param label the cause category, e.g. {@code database}, {@code deployment}; {@link
 *     #UNCLASSIFIED} when no classifier has an opinion
 */
public record Classification(String label, double confidence) {

  /** What an incident carries until a classifier says otherwise. */
  public static final Classification UNCLASSIFIED = new Classification("unclassified", 0.0);

  public Classification {
    if (label == null || label.isBlank()) {
      throw new IllegalArgumentException("a classification needs a label");
    }
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be within [0, 1], got " + confidence);
    }
  }
}
