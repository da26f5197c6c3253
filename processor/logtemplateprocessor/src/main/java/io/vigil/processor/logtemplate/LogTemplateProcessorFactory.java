package io.vigil.processor.logtemplate;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.component.ProcessorFactory;
import io.vigil.core.config.ConfigException;
import java.util.Set;

/** Type {@code logtemplate}: logs pipelines only. */
public final class LogTemplateProcessorFactory implements ProcessorFactory<LogTemplateConfig> {

  @Override
  public String type() {
    return "logtemplate";
  }

  @Override
  public LogTemplateConfig createDefaultConfig() {
    return new LogTemplateConfig();
  }

  @Override
  public void validate(LogTemplateConfig c) {
    if (!(c.similarityThreshold > 0 && c.similarityThreshold <= 1)) {
      throw new ConfigException("similarity_threshold", "must be above 0 and at most 1");
    }
    if (c.depth < 3) {
      throw new ConfigException("depth", "must be at least 3 (token count and one token)");
    }
    if (c.maxChildren < 2) {
      throw new ConfigException("max_children", "must be at least 2");
    }
    if (c.maxTemplates < 1) {
      throw new ConfigException("max_templates", "must be at least 1");
    }
    if (c.maxTokens < 1) {
      throw new ConfigException("max_tokens", "must be at least 1");
    }
    if (c.settleAfter < 1) {
      throw new ConfigException("settle_after", "must be at least 1");
    }
    ConfigException.requirePositive(c.saveInterval, "save_interval");
    if (c.stateFile == null) {
      throw new ConfigException("state_file", "must be a path or \"\"");
    }
    if (c.idAttribute == null || c.idAttribute.isBlank()) {
      throw new ConfigException("id_attribute", "must not be empty");
    }
    if (c.templateAttribute == null || c.templateAttribute.isBlank()) {
      throw new ConfigException("template_attribute", "must not be empty");
    }
    AnomalyConfig a = c.anomalies;
    if (a == null) {
      throw new ConfigException("anomalies", "must be a mapping");
    }
    ConfigException.requirePositive(a.window, "anomalies::window");
    if (a.learningPeriod == null || a.learningPeriod.isNegative()) {
      throw new ConfigException("anomalies::learning_period", "must not be negative");
    }
    if (a.learningRecords < 0) {
      throw new ConfigException("anomalies::learning_records", "must not be negative");
    }
    if (!(a.smoothing > 0 && a.smoothing <= 1)) {
      throw new ConfigException("anomalies::smoothing", "must be above 0 and at most 1");
    }
    if (a.surgeSigma < 0 || a.surgeFactor < 0 || a.minCount < 1) {
      throw new ConfigException("anomalies::min_count",
          "min_count must be at least 1, surge_sigma and surge_factor not negative");
    }
    if (a.maxTraces < 0 || a.exampleTraces < 0) {
      throw new ConfigException("anomalies::max_traces", "must not be negative");
    }
    if (a.ignoreScopes == null) {
      throw new ConfigException("anomalies::ignore_scopes", "must be a list of scope names");
    }
    for (int i = 0; i < a.ignoreScopes.size(); i++) {
      if (a.ignoreScopes.get(i) == null || a.ignoreScopes.get(i).isBlank()) {
        throw new ConfigException("anomalies::ignore_scopes::" + i,
            "must be a scope (logger) name, not empty: an empty name would match nothing");
      }
    }
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.LOGS);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Message> Processor<T> create(
      ComponentSettings settings, LogTemplateConfig config, Signal<T> signal, Consumer<T> next) {
    LogAnomalyDetector detector = config.anomalies.enabled
        ? new LogAnomalyDetector(config.anomalies, config.maxTemplates) : null;
    return (Processor<T>) new LogTemplateProcessor(settings.id().toString(), config, detector,
        (Consumer<ExportLogsServiceRequest>) next, settings.logger(LogTemplateProcessor.class));
  }
}
