package io.vigil.exporter.prometheusremotewrite;

import io.vigil.config.tls.JdkHttpClients;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.ExporterFactory;
import io.vigil.core.config.ConfigException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Type {@code prometheusremotewrite}: pushes metrics with the remote-write protocol. */
public final class RemoteWriteExporterFactory
    implements ExporterFactory<RemoteWriteExporterConfig> {

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  @Override
  public String type() {
    return "prometheusremotewrite";
  }

  @Override
  public RemoteWriteExporterConfig createDefaultConfig() {
    return new RemoteWriteExporterConfig();
  }

  @Override
  public void validate(RemoteWriteExporterConfig c) {
    if (c.endpoint == null || c.endpoint.isBlank()) {
      throw new ConfigException("endpoint",
          "required: the remote-write URL, e.g. http://prometheus:9090/api/v1/write");
    }
    try {
      URI u = URI.create(c.endpoint);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new ConfigException("endpoint",
            "expected an http:// or https:// URL, got \"" + c.endpoint + "\"");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException("endpoint", "not a valid URL: \"" + c.endpoint + "\"");
    }
    for (Map.Entry<String, String> e : c.externalLabels.entrySet()) {
      if (!LABEL_NAME.matcher(e.getKey()).matches() || e.getKey().startsWith("__")) {
        throw new ConfigException("external_labels::" + e.getKey(), "not a valid label name;"
            + " use letters, digits and _, not starting with a digit or __");
      }
    }
    JdkHttpClients.validate(c.tls, "tls", "the endpoint URL");
    c.applyRemoteWriteQueue();
    c.validateSending();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.METRICS);
  }

  @Override
  public Exporter create(
      ComponentSettings settings, RemoteWriteExporterConfig config, Set<Signal<?>> signals) {
    return new RemoteWriteExporter(settings, config);
  }
}
