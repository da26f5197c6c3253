package io.vigil.connector.failureprediction;

import io.vigil.featurerows.FeatureRowsSettings;
import java.time.Duration;

/**
 * Config of the {@code failureprediction} connector: the shared feature keys (the same
 * {@code window} and {@code features} as the {@code featurerows} exporter whose rows trained
 * the model) plus which model to run.
 */
public class FailurePredictionConfig extends FeatureRowsSettings {
  /** Model registry directory, as {@code vigil-train --registry} wrote it. Required. */
  public String registry = "";
  /** Model name in the registry; its {@code current} version is run. */
  public String model = "failure";
  /** How often {@code current} is checked for a new version. */
  public Duration reloadInterval = Duration.ofSeconds(10);
  /** How often closed windows are scored. */
  public Duration flushInterval = Duration.ofSeconds(1);
  /** Probability from which a prediction is raised; negative = the model's vigil.threshold. */
  public double threshold = -1;
}
