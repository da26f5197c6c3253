package io.vigil.exporter.prometheus;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.ExporterFactory;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.HostPort;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Type {@code prometheus}: a scrape endpoint serving the metrics pipeline's series. */
public final class PrometheusExporterFactory implements ExporterFactory<PrometheusExporterConfig> {

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  @Override
  public String type() {
    return "prometheus";
  }

  @Override
  public PrometheusExporterConfig createDefaultConfig() {
    return new PrometheusExporterConfig();
  }

  @Override
  public void validate(PrometheusExporterConfig c) {
    if (c.endpoint == null || c.endpoint.isBlank()) {
      throw new ConfigException("endpoint", "required: the host:port to serve /metrics on");
    }
    HostPort.parse(c.endpoint, "endpoint");
    if (c.metricExpiration == null || c.metricExpiration.isNegative()
        || c.metricExpiration.isZero()) {
      throw new ConfigException("metric_expiration", "must be a positive duration such as 5m");
    }
    if (!c.namespace.isEmpty() && !METRIC_NAME.matcher(c.namespace).matches()) {
      throw new ConfigException("namespace", "\"" + c.namespace + "\" is not a valid metric"
          + " name prefix; use letters, digits, _ and :, not starting with a digit");
    }
    for (Map.Entry<String, String> e : c.constLabels.entrySet()) {
      if (!LABEL_NAME.matcher(e.getKey()).matches() || e.getKey().startsWith("__")) {
        throw new ConfigException("const_labels::" + e.getKey(), "not a valid label name; use"
            + " letters, digits and _, not starting with a digit or __");
      }
    }
    if (c.tls != null) {
      c.tls.validate("tls");
    }
    for (int i = 0; i < c.promoteResourceAttributes.size(); i++) {
      String a = c.promoteResourceAttributes.get(i);
      if (a == null || a.isBlank()) {
        throw new ConfigException("promote_resource_attributes::" + i, "empty attribute name");
      }
    }
  }

  @Override
  public Map<String, String> listenAddresses(PrometheusExporterConfig config) {
    return Map.of("endpoint", config.endpoint);
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.METRICS);
  }

  @Override
  public Exporter create(
      ComponentSettings settings, PrometheusExporterConfig config, Set<Signal<?>> signals) {
    return new PrometheusExporter(settings, config, Clock.systemUTC());
  }
}
