package io.vigil.exporter.prometheus;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.config.HostPort;
import io.vigil.core.telemetry.GatewayTelemetry.ExporterTelemetry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/**
 * Keeps the latest state of every series the pipeline delivered and serves it to Prometheus
 * scrapes. Nothing is pushed, so nothing is queued or retried: a batch is done once
 * accumulated.
 */
final class PrometheusExporter implements Exporter {

  private final PrometheusExporterConfig config;
  private final MetricAccumulator accumulator;
  private final ScrapeEndpoint endpoint;
  private final ExporterTelemetry telemetry;
  private final Clock clock;
  private final Logger log;
  private final String id;

  PrometheusExporter(ComponentSettings settings, PrometheusExporterConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.accumulator = new MetricAccumulator(config);
    this.telemetry = settings.telemetry().exporter(settings.id());
    this.log = settings.logger(PrometheusExporter.class);
    this.id = settings.id().toString();
    InetSocketAddress address = HostPort.parse(config.endpoint, "exporters::" + id + "::endpoint");
    this.endpoint = new ScrapeEndpoint(address, this::scrape,
        config.tls == null ? null : config.tls.load("exporters::" + id + "::tls"));
  }

  private MetricSnapshots scrape() {
    accumulator.expire(clock.instant());
    return accumulator.read(SnapshotBuilder::build);
  }

  /** Where scrapes are served; tests that asked for port 0 read the real port here. */
  InetSocketAddress address() {
    return endpoint.address();
  }

  MetricAccumulator accumulator() {
    return accumulator;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Message> Consumer<T> consumer(Signal<T> signal) {
    if (signal != Signal.METRICS) {
      return null;
    }
    return batch -> {
      ExportMetricsServiceRequest request = (ExportMetricsServiceRequest) batch;
      long droppedBefore = accumulator.droppedPoints();
      accumulator.accumulate(request, clock.instant());
      long dropped = accumulator.droppedPoints() - droppedBefore;
      int points = Signal.METRICS.itemCount(request);
      telemetry.sent(Signal.METRICS, points - dropped);
      if (dropped > 0) {
        telemetry.sendFailed(Signal.METRICS, dropped, "out_of_order_or_conflicting");
      }
      return CompletableFuture.completedFuture(null);
    };
  }

  @Override
  public void start() throws Exception {
    endpoint.start();
    log.info("Exporter {} serves Prometheus scrapes on {}://{}:{}/metrics", id,
        config.tls == null ? "http" : "https", endpoint.address().getHostString(),
        endpoint.address().getPort());
  }

  @Override
  public void shutdown(Instant deadline) {
    endpoint.stop();
  }
}
