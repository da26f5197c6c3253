package io.vigil.connector.templatecounts;

import java.time.Duration;

/** Config of the {@code templatecounts} connector. */
public class TemplateCountsConfig {
  /** Length of a counting window; one point per template is emitted at each window's end. */
  public Duration window = Duration.ofMinutes(1);
  /** Attribute holding the template ID (as the logtemplate processor writes it). */
  public String idAttribute = "log.template.id";
  /** Templates followed per service; a template unseen the longest is dropped beyond it. */
  public int maxTemplates = 10_000;
  /** Windows a template keeps being reported (as 0) after its last record. */
  public int idleWindows = 60;
  /** Name of the emitted metric. */
  public String metric = "log.template.records";
}
