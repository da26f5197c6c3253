package io.vigil.core.config;

import java.util.Map;

/**
 * {@code service.telemetry}: where the gateway serves its own health and metrics. The key
 * spelling follows the collector ({@code service.telemetry.metrics.address}).
 */
public class TelemetryConfig {

  /** {@code service.telemetry.metrics}. */
  public static class Metrics {
    /** host:port of the admin server ({@code /metrics}, {@code /health}); empty turns it off. */
    public String address = "0.0.0.0:8888";
    /**
     * HTTPS for the admin server: the Collector's server {@code tls} keys, read by configtls in
     * the gateway (core does not depend on it); absent = plain HTTP.
     */
    public Map<String, Object> tls;
  }

  /** {@code service.telemetry.logs}. */
  public static class Logs {
    /** Root log level of the gateway: debug, info, warn, error. */
    public String level = "info";
  }

  public Metrics metrics = new Metrics();
  public Logs logs = new Logs();
}
