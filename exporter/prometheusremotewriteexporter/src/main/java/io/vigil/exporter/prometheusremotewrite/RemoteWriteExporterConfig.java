package io.vigil.exporter.prometheusremotewrite;

import io.vigil.core.config.ConfigException;
import io.vigil.exporter.exporterhelper.QueueSettings;
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
  /**
   * {@code tls}: the CA to trust ({@code ca_file}, else the JVM's trust store) and a client
   * certificate for receivers that require one; for {@code https://} endpoints only.
   */
  public io.vigil.config.tls.TlsClientSettings tls = new io.vigil.config.tls.TlsClientSettings();
  /** The queue as the Collector's exporter spells it; mapped onto {@code sending_queue}. */
  public RemoteWriteQueue remoteWriteQueue = new RemoteWriteQueue();

  public RemoteWriteExporterConfig() {
    timeout = Duration.ofSeconds(5);
    // Prometheus refuses a sample older than the newest of its series: batches sent in
    // parallel would overtake each other, so one delivery at a time keeps them in order.
    sendingQueue.numConsumers = 1;
  }

  /**
   * {@code remote_write_queue}: the Collector's prometheusremotewrite exporter spells its queue
   * this way (it has no {@code sending_queue}). A key left out keeps Vigil's default, which for
   * {@code num_consumers} is 1 (ordered delivery), not the Collector's 5.
   */
  public static class RemoteWriteQueue {
    public Boolean enabled;
    public Integer queueSize;
    public Integer numConsumers;
  }

  /**
   * Copies what {@code remote_write_queue} sets onto {@code sending_queue}, which the shared
   * sender reads. Refuses a value set differently under both spellings. Idempotent.
   */
  void applyRemoteWriteQueue() {
    RemoteWriteQueue r = remoteWriteQueue;
    QueueSettings q = sendingQueue;
    QueueSettings defaults = new RemoteWriteExporterConfig.Defaults().sendingQueue;
    if (r.queueSize != null && r.queueSize < 1) {
      throw new ConfigException("remote_write_queue::queue_size", "must be at least 1");
    }
    if (r.numConsumers != null && r.numConsumers < 1) {
      throw new ConfigException("remote_write_queue::num_consumers", "must be at least 1");
    }
    if (r.enabled != null) {
      conflict("enabled", q.enabled != defaults.enabled && q.enabled != r.enabled);
      q.enabled = r.enabled;
    }
    if (r.queueSize != null) {
      conflict("queue_size", q.queueSize != defaults.queueSize && q.queueSize != r.queueSize);
      q.queueSize = r.queueSize;
    }
    if (r.numConsumers != null) {
      conflict("num_consumers",
          q.numConsumers != defaults.numConsumers && q.numConsumers != r.numConsumers);
      q.numConsumers = r.numConsumers;
    }
  }

  private static void conflict(String key, boolean both) {
    if (both) {
      throw new ConfigException("remote_write_queue::" + key, "also set differently as"
          + " sending_queue::" + key + "; keep only remote_write_queue::" + key
          + " (the Collector's spelling)");
    }
  }

  /** The defaults, unaffected by what a config sets. */
  private static final class Defaults extends RemoteWriteExporterConfig {}

  /** {@code resource_to_telemetry_conversion}: every resource attribute becomes a label. */
  public static class ResourceToTelemetryConversion {
    public boolean enabled = false;
  }

  /** {@code target_info}: resource attributes as a target_info series. */
  public static class TargetInfo {
    public boolean enabled = true;
  }
}
