package io.vigil.exporter.alerts;

import io.vigil.config.tls.JdkHttpClients;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.ExporterFactory;
import io.vigil.core.config.ConfigException;
import java.net.URI;
import java.util.Set;

/** Type {@code alerts}: turns anomaly records into de-duplicated alerts. Logs pipelines only. */
public final class AlertsExporterFactory implements ExporterFactory<AlertsExporterConfig> {

  @Override
  public String type() {
    return "alerts";
  }

  @Override
  public AlertsExporterConfig createDefaultConfig() {
    return new AlertsExporterConfig();
  }

  @Override
  public void validate(AlertsExporterConfig c) {
    if (c.webhookUrl == null) {
      throw new ConfigException("webhook_url", "must be a URL or \"\"");
    }
    if (!c.webhookUrl.isEmpty()) {
      URI uri;
      try {
        uri = URI.create(c.webhookUrl);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("webhook_url", "is not a URL: " + e.getMessage());
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new ConfigException("webhook_url",
            "must be an http:// or https:// URL with a host, got \"" + c.webhookUrl + "\"");
      }
    }
    JdkHttpClients.validate(c.tls, "tls", "webhook_url");
    ConfigException.requirePositive(c.repeatInterval, "repeat_interval");
    ConfigException.requirePositive(c.timeout, "timeout");
    if (c.maxAttempts < 1) {
      throw new ConfigException("max_attempts", "must be at least 1");
    }
    if (c.maxKeys < 1) {
      throw new ConfigException("max_keys", "must be at least 1");
    }
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.LOGS);
  }

  @Override
  public Exporter create(ComponentSettings settings, AlertsExporterConfig config,
      Set<Signal<?>> signals) {
    return new AlertsExporter(settings.id().toString(), config,
        settings.logger(AlertsExporter.class));
  }
}
