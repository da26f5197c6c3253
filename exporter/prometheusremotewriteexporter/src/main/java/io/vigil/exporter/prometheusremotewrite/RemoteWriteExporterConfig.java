package io.vigil.exporter.prometheusremotewrite;

import io.vigil.exporter.exporterhelper.SendingSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Config of the {@code prometheusremotewrite} exporter; keys as the collector's. */
public class RemoteWriteExporterConfig extends SendingSettings {
  /** URL of the remote-write endpoint, e.g. http://prometheus:9090/api/v1/write. */
  public String endpoint = "";
  public Map<String, String> headers = new LinkedHashMap<>();
  /** Prefix of every metric name, joined with _. */
  public String namespace = "";
  /** Labels added to every series. */
  public Map<String, String> externalLabels = new LinkedHashMap<>();
  public boolean addMetricSuffixes = true;
  public ResourceToTelemetryConversion resourceToTelemetryConversion =
      new ResourceToTelemetryConversion();
  public TargetInfo targetInfo = new TargetInfo();
  /** Also send type, help and unit per metric family. */
  public boolean sendMetadata = false;

  public RemoteWriteExporterConfig() {
    timeout = Duration.ofSeconds(5);
    // Prometheus refuses a sample older than the newest of its series: batches sent in
    // parallel would overtake each other, so one delivery at a time keeps them in order.
    sendingQueue.numConsumers = 1;
  }

  /** {@code resource_to_telemetry_conversion}: every resource attribute becomes a label. */
  public static class ResourceToTelemetryConversion {
    public boolean enabled = false;
  }

  /** {@code target_info}: resource attributes as a target_info series. */
  public static class TargetInfo {
    public boolean enabled = true;
  }
}
