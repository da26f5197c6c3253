package io.vigil.exporter.prometheus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Config of the {@code prometheus} exporter; keys as the collector's prometheusexporter. */
public class PrometheusExporterConfig {
  /** host:port of the scrape endpoint; the path is /metrics. */
  public String endpoint = "127.0.0.1:8889";
  /** Prefix of every metric name, joined with _. */
  public String namespace = "";
  /** Labels added to every series. */
  public Map<String, String> constLabels = new LinkedHashMap<>();
  /** A series not updated for this long is no longer exposed. */
  public Duration metricExpiration = Duration.ofMinutes(5);
  /** Unit words and _ratio appended to names; _total on counters is always there. */
  public boolean addMetricSuffixes = true;
  public ResourceToTelemetryConversion resourceToTelemetryConversion =
      new ResourceToTelemetryConversion();
  /** Resource attributes copied onto every series as labels (besides job and instance). */
  public List<String> promoteResourceAttributes = new ArrayList<>();
  /** Expose resource attributes as target_info{job, instance, ...} 1. */
  public boolean enableTargetInfo = true;
  /** HTTPS for scrapes (the Collector's {@code tls} server keys); absent = plain HTTP. */
  public io.vigil.config.tls.TlsServerSettings tls;

  /** {@code resource_to_telemetry_conversion}: every resource attribute becomes a label. */
  public static class ResourceToTelemetryConversion {
    public boolean enabled = false;
  }
}
