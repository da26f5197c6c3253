package io.vigil.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.config.GoDuration;
import io.vigil.core.pipeline.PipelineGraph;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running gateway: its pipelines and its admin server. */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final PipelineGraph graph;
  private final AdminServer admin;
  private final Duration shutdownTimeout;
  private final PrometheusRegistry registry;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile long droppedAtShutdown;

  private Gateway(
      PipelineGraph graph, AdminServer admin, Duration shutdownTimeout,
      PrometheusRegistry registry) {
    this.graph = graph;
    this.admin = admin;
    this.shutdownTimeout = shutdownTimeout;
    this.registry = registry;
  }

  /** Loads the config text and starts everything; a problem throws {@link ConfigException}. */
  public static Gateway start(String yaml, Duration shutdownTimeout) {
    return start(new ConfigLoader(ComponentRegistry.load()).load(yaml), shutdownTimeout);
  }

  public static Gateway start(GatewayConfig config, Duration shutdownTimeout) {
    applyLogLevel(config.telemetry().logs.level);
    JulBridge.install();
    // Before anything binds: one port given to two servers is a config error naming both.
    PortProbe.checkNoSharedPorts(config);
    var adminTls = AdminServer.tlsSettings(config.telemetry().metrics.tls);
    GatewayTelemetry telemetry = new GatewayTelemetry();
    JvmMetrics.builder().register(telemetry.registry());
    PipelineGraph graph = PipelineGraph.build(config, telemetry);
    String address = config.telemetry().metrics.address;
    AdminServer admin =
        address == null || address.isBlank()
            ? null
            : AdminServer.start(address, adminTls, telemetry.registry(), graph::isRunning);
    try {
      graph.start();
    } catch (RuntimeException e) {
      if (admin != null) {
        admin.close();
      }
      throw e instanceof ConfigException ce ? namingTheBusyAddress(config, ce) : e;
    }
    if (admin != null) {
      log.info("Admin server on {}{}: /metrics, /health", address,
          adminTls == null ? "" : " (HTTPS)");
    }
    return new Gateway(graph, admin, shutdownTimeout, telemetry.registry());
  }

  /**
   * A component that failed to start without naming its address (the prometheus exporter's
   * scrape server says only "Address already in use"): probe the addresses it listens on and
   * report the busy one under its own key path, as {@code validate} would.
   */
  private static ConfigException namingTheBusyAddress(GatewayConfig config, ConfigException e) {
    for (Map.Entry<String, String> a : PortProbe.addresses(config).entrySet()) {
      if (!a.getKey().startsWith(e.keyPath() + "::") || e.getMessage().contains(a.getValue())) {
        continue;
      }
      try {
        PortProbe.probe(a.getKey(), a.getValue());
      } catch (ConfigException busy) {
        return new ConfigException(busy.keyPath(), busy.problem(), e);
      }
    }
    return e;
  }

  private static void applyLogLevel(String level) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
      Level l = Level.toLevel(level, null);
      if (l == null) {
        throw new ConfigException(
            "service::telemetry::logs::level",
            "unknown level \"" + level + "\"; use debug, info, warn or error");
      }
      ((LoggerContext) LoggerFactory.getILoggerFactory())
          .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
          .setLevel(l);
    }
  }

  /** The admin server's port, or -1 when it is off. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  public boolean isRunning() {
    return graph.isRunning();
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * Items the exporters gave up on because the shutdown deadline came first
   * ({@code otelcol_exporter_send_failed_*_total{reason="shutdown"}}); read after {@link #close()}.
   */
  public long droppedAtShutdown() {
    return droppedAtShutdown;
  }

  /**
   * Drains the pipelines within the shutdown timeout, then stops the admin server. Safe to call
   * from several threads (signal handler, shutdown hook): the second waits for the first.
   */
  @Override
  public synchronized void close() {
    if (stopped.getCount() == 0) {
      return;
    }
    log.info("Shutting down: draining pipelines for up to {}", GoDuration.format(shutdownTimeout));
    graph.shutdown(shutdownTimeout);
    droppedAtShutdown = shutdownDrops(registry);
    if (admin != null) {
      admin.close();
    }
    if (droppedAtShutdown > 0) {
      log.error("Stopped: {} items were still queued or retrying at the shutdown deadline ({})"
          + " and were dropped (otelcol_exporter_send_failed_*_total{reason=\"shutdown\"});"
          + " raise --shutdown-timeout or check the exporters' backends",
          droppedAtShutdown, GoDuration.format(shutdownTimeout));
    } else {
      log.info("Stopped: drained, nothing dropped");
    }
    stopped.countDown();
  }

  private static long shutdownDrops(PrometheusRegistry registry) {
    long dropped = 0;
    for (MetricSnapshot m : registry.scrape()) {
      if (m instanceof CounterSnapshot c
          && c.getMetadata().getName().startsWith("otelcol_exporter_send_failed_")) {
        for (CounterSnapshot.CounterDataPointSnapshot p : c.getDataPoints()) {
          if ("shutdown".equals(p.getLabels().get("reason"))) {
            dropped += (long) p.getValue();
          }
        }
      }
    }
    return dropped;
  }
}
