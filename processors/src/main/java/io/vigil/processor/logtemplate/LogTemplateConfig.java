package io.vigil.processor.logtemplate;

import java.time.Duration;

/** Config of the {@code logtemplate} processor. One configuration serves every log source. */
public class LogTemplateConfig {
  /** Share of a message's tokens that must equal a template's for the message to join it. */
  public double similarityThreshold = 0.7;
  /**
   * Messages a template matches before its constant tokens are fixed; after that a message
   * that differs in one starts a new template.
   */
  public long settleAfter = 100;
  /** Drain's tree depth: the token-count level, then depth - 2 leading tokens pick the leaf. */
  public int depth = 4;
  /** Children per tree node; beyond it leading tokens share one wildcard child. */
  public int maxChildren = 100;
  /** Templates kept (per pipeline); the least recently matched is evicted beyond it. */
  public int maxTemplates = 10_000;
  /** Tokens of a message considered; the rest counts as one variable. */
  public int maxTokens = 128;
  /** File the templates are saved to and restored from, so IDs survive restarts; "" = none. */
  public String stateFile = "";
  /** How often the templates are saved when they changed (and always at shutdown). */
  public Duration saveInterval = Duration.ofSeconds(30);
  /** Attribute that receives the template ID (16 hex digits). */
  public String idAttribute = "log.template.id";
  /** Attribute that receives the template text. */
  public String templateAttribute = "log.template";

  /** Anomaly detection on the template stream (off unless enabled). */
  public AnomalyConfig anomalies = new AnomalyConfig();

  /** A miner with this config's settings. */
  public TemplateMiner newMiner() {
    return new TemplateMiner(depth - 2, similarityThreshold, maxChildren, maxTemplates, maxTokens,
        settleAfter);
  }
}
