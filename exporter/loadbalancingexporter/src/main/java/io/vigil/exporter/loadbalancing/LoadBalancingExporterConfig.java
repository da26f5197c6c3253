package io.vigil.exporter.loadbalancing;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vigil.core.config.ConfigException;
import io.vigil.exporter.otlp.OtlpExporterConfig;
import io.vigil.exporter.otlp.OtlpExporterFactory;
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
    /** Not supported yet: refused with a message rather than as an unknown key. */
    public Map<String, Object> dns;
    public Map<String, Object> k8s;
    public Map<String, Object> awsCloudMap;
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
      throw new ConfigException("resolver", "required: static with hostnames");
    }
    for (String other : new String[] {"dns", "k8s", "aws_cloud_map"}) {
      Object set = other.equals("dns") ? resolver.dns : other.equals("k8s") ? resolver.k8s
          : resolver.awsCloudMap;
      if (set != null) {
        throw new ConfigException("resolver::" + other,
            "not supported yet; use resolver::static with hostnames");
      }
    }
    if (resolver.staticResolver == null) {
      throw new ConfigException("resolver", "required: static with hostnames");
    }
    List<String> hosts = resolver.staticResolver.hostnames;
    if (hosts == null || hosts.isEmpty()) {
      throw new ConfigException("resolver::static::hostnames", "at least one backend");
    }
    for (int i = 0; i < hosts.size(); i++) {
      if (hosts.get(i) == null || hosts.get(i).isBlank()) {
        throw new ConfigException("resolver::static::hostnames::" + i, "must not be empty");
      }
    }
    if (protocol == null || protocol.otlp == null) {
      throw new ConfigException("protocol::otlp", "required");
    }
    if (!protocol.otlp.endpoint.isEmpty()) {
      throw new ConfigException("protocol::otlp::endpoint",
          "must not be set: the resolver gives each backend's endpoint");
    }
    try {
      new OtlpExporterFactory().validate(backend(hosts.get(0)));
    } catch (ConfigException e) {
      throw e.under("protocol::otlp");
    }
  }

  /** The otlp exporter config of one backend: {@code protocol::otlp} with its endpoint. */
  OtlpExporterConfig backend(String hostname) {
    OtlpExporterConfig o = protocol.otlp;
    OtlpExporterConfig c = new OtlpExporterConfig();
    c.endpoint = hostname.contains(":") ? hostname : hostname + ":4317";
    c.tls = o.tls;
    c.headers = o.headers;
    c.compression = o.compression;
    c.timeout = o.timeout;
    c.sendingQueue = o.sendingQueue;
    c.retryOnFailure = o.retryOnFailure;
    return c;
  }
}
