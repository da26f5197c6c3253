package io.vigil.exporter.incidents;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.ExporterFactory;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.HostPort;
import io.vigil.exporter.incidents.internal.IncidentsExporter;
import io.vigil.exporter.incidents.internal.LinkTemplates;
import io.vigil.exporter.incidents.internal.Plugins;
import io.vigil.exporter.incidents.internal.StoreConfigs;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/** Type {@code incidents}: groups anomaly records into incidents. Logs pipelines only. */
public final class IncidentsExporterFactory implements ExporterFactory<IncidentsExporterConfig> {

  @Override
  public String type() {
    return "incidents";
  }

  @Override
  public IncidentsExporterConfig createDefaultConfig() {
    return new IncidentsExporterConfig();
  }

  @Override
  public void validate(IncidentsExporterConfig c) {
    StoreConfigs.validate(c);
    ConfigException.requirePositive(c.groupWindow, "group_window");
    ConfigException.requirePositive(c.reopenWindow, "reopen_window");
    if (c.maxTraceLinks < 0) {
      throw new ConfigException("max_trace_links", "must be 0 or more");
    }
    LinkTemplates.validate(c.links == null ? Map.of() : c.links);
    if (c.api == null) {
      throw new ConfigException("api", "must be a block with endpoint and token");
    }
    if (c.api.endpoint == null) {
      throw new ConfigException("api::endpoint", "must be host:port or \"\"");
    }
    if (!c.api.endpoint.isEmpty()) {
      HostPort.parse(c.api.endpoint, "api::endpoint");
    }
    if (c.api.token == null) {
      throw new ConfigException("api::token", "must be a string (\"\" = no token)");
    }
    if (c.api.tls != null) {
      c.api.tls.validate("api::tls");
    }
    io.vigil.exporter.incidents.response.ResponseRules.validate(c.response);
    if (c.origin == null) {
      throw new ConfigException("origin", "must be a block with max_spans and settle");
    }
    if (c.origin.maxSpans < 0) {
      throw new ConfigException("origin::max_spans", "must be 0 or more (0 = no span index)");
    }
    ConfigException.requirePositive(c.origin.settle, "origin::settle");
    io.vigil.exporter.incidents.internal.OpeningPolicy.validate(c.opening);
    if (c.anomaliesFile == null) {
      throw new ConfigException("anomalies_file", "must be a path or \"\" (none)");
    }
    io.vigil.exporter.incidents.chat.SlashCommandEndpoint.validate(c.chat);
    if (c.chat.enabled() && c.api.endpoint.isEmpty()) {
      throw new ConfigException("chat", "needs the API: set api::endpoint");
    }
    if (c.knowledgeBase == null) {
      throw new ConfigException("knowledge_base", "must be a block with path and/or model");
    }
    KnowledgeBase kb = c.knowledgeBase.resolve();
    Plugins.named(CauseClassifier.class, c.classifier, CauseClassifier::name, "classifier")
        .validate(kb);
    Plugins.named(Recommender.class, c.recommender, Recommender::name, "recommender")
        .validate(kb);
  }

  @Override
  public Map<String, String> listenAddresses(IncidentsExporterConfig c) {
    return c.api.endpoint.isEmpty() ? Map.of() : Map.of("api::endpoint", c.api.endpoint);
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.LOGS, Signal.TRACES);
  }

  @Override
  public Exporter create(ComponentSettings settings, IncidentsExporterConfig config,
      Set<Signal<?>> signals) {
    return new IncidentsExporter(settings, config,
        Plugins.named(CauseClassifier.class, config.classifier, CauseClassifier::name,
            "classifier"),
        Plugins.named(Recommender.class, config.recommender, Recommender::name, "recommender"),
        Clock.systemUTC());
  }
}
