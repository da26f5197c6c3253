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
  /**
   * {@code traceID} (default), {@code service} or {@code resource}: what picks a backend. Logs
   * and metrics go by resource under {@code traceID}.
   */
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
    public K8s k8s;
    /** Not supported yet: refused with a message rather than as an unknown key. */
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

  /** {@code resolver::k8s}: the ready endpoints of a Service, watched through EndpointSlices. */
  public static class K8s {
    /** {@code name.namespace}, or {@code name} alone: the gateway's own namespace. */
    public String service;
    public List<Integer> ports = new ArrayList<>(List.of(4317));
    /** Of each request to the Kubernetes API. */
    public Duration timeout = Duration.ofSeconds(1);

    String serviceName() {
      int dot = service.indexOf('.');
      return dot < 0 ? service : service.substring(0, dot);
    }

    /** Null when {@code service} names none. */
    String namespace() {
      int dot = service.indexOf('.');
      return dot < 0 ? null : service.substring(dot + 1);
    }
  }

  public void validate() {
    if (!routingKey.equals("traceID") && !routingKey.equals("service")
        && !routingKey.equals("resource")) {
      throw new ConfigException("routing_key", "unsupported value \"" + routingKey
          + "\"; use traceID, service or resource");
    }
    if (resolver == null) {
      throw new ConfigException("resolver", RESOLVERS);
    }
    if (resolver.awsCloudMap != null) {
      throw new ConfigException("resolver::aws_cloud_map",
          "not supported yet; use resolver::static, dns or k8s");
    }
    int set = (resolver.staticResolver != null ? 1 : 0) + (resolver.dns != null ? 1 : 0)
        + (resolver.k8s != null ? 1 : 0);
    if (set != 1) {
      throw new ConfigException("resolver",
          set == 0 ? RESOLVERS : "only one of static, dns and k8s");
    }
    if (resolver.staticResolver != null) {
      validateStatic(resolver.staticResolver);
    } else if (resolver.dns != null) {
      validateDns(resolver.dns);
    } else {
      validateK8s(resolver.k8s);
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

  private static final String RESOLVERS = "required: static with hostnames, dns or k8s";

  // A DNS-1035 label: what a Service's name (and a namespace's) must be.
  private static final java.util.regex.Pattern LABEL =
      java.util.regex.Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

  private static void validateK8s(K8s k) {
    if (k.service == null || k.service.isBlank()) {
      throw new ConfigException("resolver::k8s::service",
          "required: the Service as name.namespace");
    }
    String ns = k.namespace();
    if (!LABEL.matcher(k.serviceName()).matches() || (ns != null && !LABEL.matcher(ns).matches())) {
      throw new ConfigException("resolver::k8s::service", "\"" + k.service
          + "\" is not name.namespace (lower-case letters, digits and '-')");
    }
    if (k.ports == null || k.ports.isEmpty()) {
      throw new ConfigException("resolver::k8s::ports", "at least one port");
    }
    for (int i = 0; i < k.ports.size(); i++) {
      Integer p = k.ports.get(i);
      if (p == null || p < 1 || p > 65535) {
        throw new ConfigException("resolver::k8s::ports::" + i, "must be 1 to 65535, was " + p);
      }
    }
    ConfigException.requirePositive(k.timeout, "resolver::k8s::timeout");
  }

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
