package io.vigil.exporter.loadbalancing;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vigil.core.config.ConfigException;
import io.vigil.exporter.otlp.OtlpExporterConfig;
import io.vigil.exporter.otlp.OtlpExporterFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Config of the {@code loadbalancing} exporter; keys as the Collector's loadbalancingexporter. */
public class LoadBalancingExporterConfig {
  /** {@code traceID} (default) or {@code service}: what picks a trace's backend. */
  public String routingKey = "traceID";
  public Protocol protocol = new Protocol();
  public Resolver resolver = new Resolver();

  /** {@code protocol}: how a backend is reached. */
  public static class Protocol {
    /** The otlp exporter's keys but {@code endpoint}, which the resolver fills per backend. */
    public OtlpExporterConfig otlp = new OtlpExporterConfig();
  }

  /** {@code resolver}: where the backends come from; exactly one. */
  public static class Resolver {
    @JsonProperty("static")
    public Static staticResolver;
    public Dns dns;
    /** Not supported yet: refused with a message rather than as an unknown key. */
    public Map<String, Object> k8s;
    public Map<String, Object> awsCloudMap;
  }

  /** {@code resolver::dns}: the A and AAAA records of a name, asked again every interval. */
  public static class Dns {
    public String hostname;
    /** The port of every resolved address. */
    public int port = 4317;
    public Duration interval = Duration.ofSeconds(5);
    public Duration timeout = Duration.ofSeconds(1);
  }

  /** {@code resolver::static}: a fixed list of backends. */
  public static class Static {
    public List<String> hostnames = new ArrayList<>();
  }

  public void validate() {
    if (!routingKey.equals("traceID") && !routingKey.equals("service")) {
      throw new ConfigException("routing_key", "unsupported value \"" + routingKey
          + "\"; use traceID or service (for traces)");
    }
    if (resolver == null) {
      throw new ConfigException("resolver", RESOLVERS);
    }
    if (resolver.awsCloudMap != null) {
      throw new ConfigException("resolver::aws_cloud_map",
          "not supported yet; use resolver::static, dns or k8s");
    }
    if (resolver.k8s != null) {
      throw new ConfigException("resolver::k8s",
          "not supported yet; use resolver::static or dns");
    }
    int set = (resolver.staticResolver != null ? 1 : 0) + (resolver.dns != null ? 1 : 0);
    if (set != 1) {
      throw new ConfigException("resolver", set == 0 ? RESOLVERS : "only one of static and dns");
    }
    if (resolver.staticResolver != null) {
      validateStatic(resolver.staticResolver);
    } else {
      validateDns(resolver.dns);
    }
    if (protocol == null || protocol.otlp == null) {
      throw new ConfigException("protocol::otlp", "required");
    }
    if (!protocol.otlp.endpoint.isEmpty()) {
      throw new ConfigException("protocol::otlp::endpoint",
          "must not be set: the resolver gives each backend's endpoint");
    }
    try {
      new OtlpExporterFactory().validate(backend("backend:4317"));
    } catch (ConfigException e) {
      throw e.under("protocol::otlp");
    }
  }

  private static final String RESOLVERS = "required: static with hostnames, or dns";

  private static void validateStatic(Static s) {
    List<String> hosts = s.hostnames;
    if (hosts == null || hosts.isEmpty()) {
      throw new ConfigException("resolver::static::hostnames", "at least one backend");
    }
    for (int i = 0; i < hosts.size(); i++) {
      if (hosts.get(i) == null || hosts.get(i).isBlank()) {
        throw new ConfigException("resolver::static::hostnames::" + i, "must not be empty");
      }
    }
  }

  private static void validateDns(Dns d) {
    if (d.hostname == null || d.hostname.isBlank()) {
      throw new ConfigException("resolver::dns::hostname", "required: the name to resolve");
    }
    if (d.port < 1 || d.port > 65535) {
      throw new ConfigException("resolver::dns::port", "must be 1 to 65535, was " + d.port);
    }
    ConfigException.requirePositive(d.interval, "resolver::dns::interval");
    ConfigException.requirePositive(d.timeout, "resolver::dns::timeout");
  }

  /** {@code host:port}; a bare host gets the OTLP gRPC port 4317. */
  static String withDefaultPort(String hostname) {
    String h = hostname.strip();
    boolean bareIpv6 = h.indexOf(':') != h.lastIndexOf(':') && !h.startsWith("[");
    boolean hasPort = !bareIpv6 && (h.startsWith("[") ? h.contains("]:") : h.contains(":"));
    return hasPort ? h : (bareIpv6 ? "[" + h + "]" : h) + ":4317";
  }

  /** The otlp exporter config of one backend: {@code protocol::otlp} with its endpoint. */
  OtlpExporterConfig backend(String hostname) {
    OtlpExporterConfig o = protocol.otlp;
    OtlpExporterConfig c = new OtlpExporterConfig();
    c.endpoint = withDefaultPort(hostname);
    c.tls = o.tls;
    c.headers = o.headers;
    c.compression = o.compression;
    c.timeout = o.timeout;
    c.sendingQueue = o.sendingQueue;
    c.retryOnFailure = o.retryOnFailure;
    return c;
  }
}
