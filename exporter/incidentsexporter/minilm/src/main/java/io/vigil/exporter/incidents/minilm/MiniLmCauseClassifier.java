package io.vigil.exporter.incidents.minilm;

import io.vigil.analysis.incidents.CausePrediction;
import io.vigil.exporter.incidents.CauseClassifier;
import io.vigil.exporter.incidents.Classification;
import io.vigil.exporter.incidents.IncidentHistory;
import io.vigil.exporter.incidents.IncidentText;
import io.vigil.exporter.incidents.KnowledgeBase;
import java.util.List;

/**
 * {@code classifier: minilm}: the probable cause of a new incident (config, code change,
 * overload, other software bug, hardware, network, third party) from its first evidence, by a
 * softmax regression on the all-MiniLM-L6-v2 embedding of its text, trained on the knowledge
 * base. Incidents resolved in the gateway do not retrain it (training takes seconds and picks
 * its settings by cross-validation); they feed the {@code minilm} recommender at once.
 */
public final class MiniLmCauseClassifier implements CauseClassifier {

  public static final String NAME = "minilm";

  private volatile TrainedModels models;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void validate(KnowledgeBase knowledgeBase) {
    KnowledgeBaseSource.validate(knowledgeBase, "classifier: " + NAME);
  }

  @Override
  public void bind(IncidentHistory history, KnowledgeBase knowledgeBase) {
    validate(knowledgeBase);
    models = TrainedModels.of(knowledgeBase);
  }

  @Override
  public Classification classify(IncidentText incident) {
    TrainedModels m = models;
    if (m == null) {
      return Classification.UNCLASSIFIED; // not bound: nothing learnt yet
    }
    CausePrediction p = m.causes().classify(IncidentDocument.text(incident));
    return new Classification(p.label(), Math.max(0, Math.min(1, p.confidence())));
  }

  @Override
  public List<String> labels() {
    TrainedModels m = models;
    return m == null ? List.of() : m.causes().labels();
  }
}
