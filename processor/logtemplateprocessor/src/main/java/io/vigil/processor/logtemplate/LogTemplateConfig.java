package io.vigil.processor.logtemplate;

import io.vigil.analysis.logtemplate.MinerSettings;
import io.vigil.analysis.logtemplate.TemplateMiner;
import java.time.Duration;

/** Config of the {@code logtemplate} processor. One configuration serves every log source. */
public class LogTemplateConfig {
  /** Share of a template's constant tokens a message must repeat to join it. */
  public double similarityThreshold = MinerSettings.DEFAULTS.similarityThreshold();
  /**
   * Messages a template matches before its constant tokens are fixed; after that a message
   * that differs in one starts a new template.
   */
  public long settleAfter = MinerSettings.DEFAULTS.settleAfter();
  /** Drain's tree depth: the token-count level, then depth - 2 leading tokens pick the leaf. */
  public int depth = MinerSettings.DEFAULTS.depth();
  /** Children per tree node; beyond it leading tokens share one wildcard child. */
  public int maxChildren = MinerSettings.DEFAULTS.maxChildren();
  /** Templates kept (per pipeline); the least recently matched is evicted beyond it. */
  public int maxTemplates = MinerSettings.DEFAULTS.maxTemplates();
  /** Tokens of a message considered; the rest counts as one variable. */
  public int maxTokens = MinerSettings.DEFAULTS.maxTokens();
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
    return new MinerSettings(depth, similarityThreshold, maxChildren, maxTemplates, maxTokens,
        settleAfter).newMiner();
  }
}
