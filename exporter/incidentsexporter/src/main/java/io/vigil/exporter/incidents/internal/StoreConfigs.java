package io.vigil.exporter.incidents.internal;

import io.vigil.config.tls.JdkHttpClients;
import io.vigil.core.config.ConfigException;
import io.vigil.exporter.incidents.IncidentsExporterConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** Checks the {@code store} block (and {@code directory}) and opens the store it names. */
public final class StoreConfigs {

  /** OpenSearch's and Elasticsearch's rules for an index name, short of the length limit. */
  private static final Pattern INDEX = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private StoreConfigs() {}

  public static void validate(IncidentsExporterConfig c) {
    IncidentsExporterConfig.Store s = c.store;
    if (s == null || s.type == null) {
      throw new ConfigException("store::type", "must be h2, opensearch or elasticsearch");
    }
    switch (s.type) {
      case "h2" -> {
        if (c.directory == null || c.directory.isBlank()) {
          throw new ConfigException("directory", "required: the directory of the incident store"
              + " (or store::type: opensearch to share one store between replicas)");
        }
      }
      case "opensearch", "elasticsearch" -> {
        if (s.endpoints == null || s.endpoints.isEmpty()) {
          throw new ConfigException("store::endpoints", "required with store::type " + s.type
              + ": the cluster's URLs, e.g. [http://opensearch:9200]");
        }
        for (int i = 0; i < s.endpoints.size(); i++) {
          endpoint(s.endpoints.get(i), "store::endpoints::" + i);
        }
        if (s.index == null || !INDEX.matcher(s.index).matches()) {
          throw new ConfigException("store::index", "\"" + s.index + "\" is not an index name:"
              + " lower case letters, digits, '.', '_' and '-', not starting with '.', '_' or '-'");
        }
        ConfigException.requirePositive(s.timeout, "store::timeout");
        if (s.username == null || s.password == null) {
          throw new ConfigException("store::username", "must be strings (\"\" = no auth)");
        }
        JdkHttpClients.validate(s.tls, "store::tls", "the endpoint URL");
      }
      default -> throw new ConfigException("store::type", "unknown store \"" + s.type
          + "\" (one of h2, opensearch, elasticsearch)");
    }
  }

  /** Opens the store the (validated) config names. */
  public static IncidentStore open(IncidentsExporterConfig c) {
    IncidentsExporterConfig.Store s = c.store;
    if (s.type.equals("h2")) {
      return H2IncidentStore.open(Path.of(c.directory));
    }
    List<URI> endpoints = s.endpoints.stream().map(e -> endpoint(e, "store::endpoints")).toList();
    return SearchEngineIncidentStore.open(endpoints, s.index, s.timeout, s.username,
        s.password, s.tls == null ? null : s.tls.load("store::tls"));
  }

  /** Where the store lives, for log lines. */
  public static String describe(IncidentsExporterConfig c) {
    return c.store.type.equals("h2") ? c.directory
        : c.store.type + " " + c.store.endpoints + " index " + c.store.index;
  }

  private static URI endpoint(String value, String keyPath) {
    try {
      URI u = URI.create(value);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
          || u.getHost() == null) {
        throw new ConfigException(keyPath, "\"" + value + "\" is not an http(s) URL such as"
            + " http://opensearch:9200");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(keyPath, "\"" + value + "\" is not a URL: " + e.getMessage());
    }
  }
}
