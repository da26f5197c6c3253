package io.vigil.exporter.otlphttp;

import io.vigil.config.tls.JdkHttpClients;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.ExporterFactory;
import io.vigil.core.config.ConfigException;
import io.vigil.exporter.exporterhelper.Compression;
import java.net.URI;
import java.util.Set;

/** Type {@code otlphttp}: OTLP over HTTP with protobuf bodies. */
public final class OtlpHttpExporterFactory implements ExporterFactory<OtlpHttpExporterConfig> {

  @Override
  public String type() {
    return "otlphttp";
  }

  @Override
  public OtlpHttpExporterConfig createDefaultConfig() {
    return new OtlpHttpExporterConfig();
  }

  @Override
  public void validate(OtlpHttpExporterConfig c) {
    if (c.endpoint.isEmpty() && (c.tracesEndpoint.isEmpty() || c.metricsEndpoint.isEmpty()
        || c.logsEndpoint.isEmpty())) {
      throw new ConfigException("endpoint",
          "required (or set traces_endpoint, metrics_endpoint and logs_endpoint)");
    }
    checkUrl("endpoint", c.endpoint);
    checkUrl("traces_endpoint", c.tracesEndpoint);
    checkUrl("metrics_endpoint", c.metricsEndpoint);
    checkUrl("logs_endpoint", c.logsEndpoint);
    Compression.parse("compression", c.compression, Compression.all());
    if (!c.encoding.equals("proto")) {
      throw new ConfigException("encoding",
          "unsupported value \"" + c.encoding + "\"; only proto is supported so far");
    }
    JdkHttpClients.validate(c.tls, "tls", "the endpoint URL");
    if (c.auth != null) {
      c.auth.validate("auth");
    }
    c.validateSending();
  }

  private static void checkUrl(String key, String url) {
    if (url.isEmpty()) {
      return;
    }
    try {
      URI u = URI.create(url);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new ConfigException(key, "expected an http:// or https:// URL, got \"" + url + "\"");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "not a valid URL: \"" + url + "\"");
    }
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  public Exporter create(
      ComponentSettings settings, OtlpHttpExporterConfig config, Set<Signal<?>> signals) {
    return new OtlpHttpExporter(settings, config, signals);
  }
}
