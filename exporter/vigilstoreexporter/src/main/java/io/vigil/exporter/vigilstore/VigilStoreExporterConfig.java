package io.vigil.exporter.vigilstore;

import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.HostPort;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/** Config of the {@code vigilstore} exporter: where the store lives, how long it keeps data. */
public class VigilStoreExporterConfig {
  /** Directory of the store; one Lucene index per hour of data lives below it. Required. */
  public String directory = "";
  /** Hours of data older than this are deleted. */
  public Duration retention = Duration.ofHours(24);
  /** When the store's files exceed this many bytes, the oldest hours are deleted; 0: no limit. */
  public long maxDiskBytes = 0;
  public Console console = new Console();

  /** {@code console}: the JSON API and web console served from the store. */
  public static class Console {
    /** host:port of the console; empty turns it off. Loopback by default: it shows all data. */
    public String endpoint = "127.0.0.1:8686";
    /** When set, every request needs {@code Authorization: Bearer <token>}. */
    public String token = "";
    /** Absent: plain HTTP. Present: HTTPS only, and mTLS with {@code client_ca_file}. */
    public TlsServerSettings tls;
    /**
     * Base URL of the {@code incidents} exporter's API ({@code http://127.0.0.1:8687}), which
     * the console's incidents view reads through this console's API; empty: no incidents view.
     */
    public String incidentsApi = "";
    /** The incidents API's bearer token ({@code api::token} of the incidents exporter). */
    public String incidentsApiToken = "";
    /** Where the console reads from: this exporter's store (default) or a cluster's backends. */
    public Source source = new Source();
  }

  /**
   * {@code console::source}: {@code type: store} reads this exporter's own store;
   * {@code type: elasticsearch} reads the indices the {@code elasticsearch} exporter writes
   * (Elasticsearch or OpenSearch), so one console serves every gateway replica's data.
   * {@code prometheus}, with either type, answers the metric charts from Prometheus.
   */
  public static class Source {
    public String type = "store";
    /** Elasticsearch/OpenSearch base URL, e.g. {@code http://elasticsearch:9200}. */
    public String endpoint = "";
    public String logsIndex = "logs-*";
    public String tracesIndex = "traces-*";
    public String username = "";
    public String password = "";
    /** Prometheus base URL, e.g. {@code http://prometheus:9090}; empty: metrics from the store. */
    public String prometheus = "";
    public Duration timeout = Duration.ofSeconds(10);
  }

  /** Checks the keys; a problem names its key path relative to the exporter. */
  public void validate() {
    if (directory == null || directory.isBlank()) {
      throw new ConfigException("directory", "required: the directory the store keeps its"
          + " indexes in, e.g. /var/lib/vigil/store");
    }
    if (retention == null || retention.compareTo(Duration.ofHours(1)) < 0) {
      throw new ConfigException("retention", "must be at least 1h: data is kept and deleted"
          + " by the hour");
    }
    if (maxDiskBytes < 0) {
      throw new ConfigException("max_disk_bytes", "must be 0 (no limit) or a positive number"
          + " of bytes");
    }
    if (console == null) {
      throw new ConfigException("console", "must be a map with endpoint and token");
    }
    if (console.token == null) {
      console.token = "";
    }
    if (console.endpoint != null && !console.endpoint.isBlank()) {
      InetSocketAddress address = HostPort.parse(console.endpoint, "console::endpoint");
      // Anyone who reaches the console reads every stored span and log: beyond this host it
      // needs a token. (An unresolved name counts as beyond.)
      boolean loopback = address.getAddress() != null && address.getAddress().isLoopbackAddress();
      if (!loopback && console.token.isBlank()) {
        throw new ConfigException("console::token", "required when console::endpoint ("
            + console.endpoint + ") is not a loopback address: the console shows all stored"
            + " data; set a token (e.g. token: ${env:VIGIL_CONSOLE_TOKEN}) or listen on"
            + " 127.0.0.1");
      }
    }
    if (console.tls != null) {
      console.tls.validate("console::tls");
    }
    if (console.incidentsApi == null) {
      console.incidentsApi = "";
    }
    if (!console.incidentsApi.isBlank()) {
      incidentsApiUri(console.incidentsApi);
    }
    if (console.incidentsApiToken == null) {
      console.incidentsApiToken = "";
    }
    validateSource(console.source == null ? new Source() : console.source);
  }

  private void validateSource(Source s) {
    console.source = s;
    if (!"store".equals(s.type) && !"elasticsearch".equals(s.type)) {
      throw new ConfigException("console::source::type", "must be store or elasticsearch, got \""
          + s.type + "\"");
    }
    if ("elasticsearch".equals(s.type)) {
      if (s.endpoint == null || s.endpoint.isBlank()) {
        throw new ConfigException("console::source::endpoint", "required with type"
            + " elasticsearch: the Elasticsearch or OpenSearch URL, e.g. http://elasticsearch:9200");
      }
      httpUri(s.endpoint, "console::source::endpoint");
      if (s.logsIndex == null || s.logsIndex.isBlank() || s.tracesIndex == null
          || s.tracesIndex.isBlank()) {
        throw new ConfigException("console::source::" + (s.logsIndex == null
            || s.logsIndex.isBlank() ? "logs_index" : "traces_index"), "must name an index"
            + " or pattern");
      }
    }
    if (s.prometheus != null && !s.prometheus.isBlank()) {
      httpUri(s.prometheus, "console::source::prometheus");
    }
    if (s.timeout == null || s.timeout.isZero() || s.timeout.isNegative()) {
      throw new ConfigException("console::source::timeout", "must be a positive duration");
    }
  }

  /** An http(s) base URL with a host, checked; problems name {@code keyPath}. */
  static URI httpUri(String value, String keyPath) {
    try {
      URI uri = new URI(value.endsWith("/") ? value : value + "/");
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new ConfigException(keyPath, "must be an http:// or https:// URL with a host, got \""
            + value + "\"");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(keyPath, "not a URL: \"" + value + "\" (" + e.getReason() + ")");
    }
  }

  /** The incidents API's base URL, checked: http or https, a host, no query. */
  static URI incidentsApiUri(String value) {
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (URISyntaxException e) {
      throw new ConfigException("console::incidents_api", "expected the base URL of the"
          + " incidents exporter's API, e.g. http://127.0.0.1:8687; got \"" + value + "\" ("
          + e.getReason() + ")");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigException("console::incidents_api", "expected the base URL of the"
          + " incidents exporter's API, http(s)://host:port without query, e.g."
          + " http://127.0.0.1:8687; got \"" + value + "\"");
    }
    return uri;
  }
}
