package io.vigil.agent.extension;

import java.util.HashMap;
import java.util.Map;

/**
 * The agent settings Vigil changes, as {@code otel.*} properties. They are supplied as
 * defaults: any {@code -Dotel.*} system property or {@code OTEL_*} environment variable wins.
 */
public final class VigilDefaults {

  /** Environment variable with the node's address on Kubernetes (downward API status.hostIP). */
  static final String HOST_IP = "HOST_IP";
  /** Environment variable naming the gateway host outright, for sidecar or central set-ups. */
  static final String GATEWAY_HOST = "VIGIL_GATEWAY_HOST";

  private VigilDefaults() {}

  /** The defaults, computed from the environment. */
  public static Map<String, String> compute(Map<String, String> env) {
    Map<String, String> d = new HashMap<String, String>();
    // The node-local gateway (DaemonSet) on Kubernetes, this host elsewhere.
    d.put("otel.exporter.otlp.endpoint", "http://" + gatewayHost(env) + ":4318");
    d.put("otel.exporter.otlp.protocol", "http/protobuf");
    d.put("otel.traces.exporter", "otlp");
    d.put("otel.metrics.exporter", "otlp");
    d.put("otel.logs.exporter", "otlp");
    // Put service.name into the logback MDC beside trace_id and span_id.
    d.put("otel.instrumentation.common.mdc.resource-attributes", "service.name");
    return d;
  }

  static String gatewayHost(Map<String, String> env) {
    String explicit = env.get(GATEWAY_HOST);
    if (explicit != null && !explicit.trim().isEmpty()) {
      return explicit.trim();
    }
    String node = env.get(HOST_IP);
    if (node != null && !node.trim().isEmpty()) {
      String n = node.trim();
      return n.indexOf(':') >= 0 && !n.startsWith("[") ? "[" + n + "]" : n;
    }
    return "localhost";
  }
}
