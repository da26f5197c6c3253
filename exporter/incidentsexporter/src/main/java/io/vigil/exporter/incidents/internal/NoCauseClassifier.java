package io.vigil.exporter.incidents.internal;

import io.vigil.exporter.incidents.CauseClassifier;
import io.vigil.exporter.incidents.Classification;
import io.vigil.exporter.incidents.IncidentText;

/** {@code classifier: none}: every incident stays unclassified until a person labels it. */
public final class NoCauseClassifier implements CauseClassifier {
  @Override
  public String name() {
    return "none";
  }

  @Override
  public Classification classify(IncidentText incident) {
    return Classification.UNCLASSIFIED;
  }
}
