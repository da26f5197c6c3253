package io.vigil.exporter.vigilstore;

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
    /**
     * Base URL of the {@code incidents} exporter's API ({@code http://127.0.0.1:8687}), which
     * the console's incidents view reads through this console's API; empty: no incidents view.
     */
    public String incidentsApi = "";
    /** The incidents API's bearer token ({@code api::token} of the incidents exporter). */
    public String incidentsApiToken = "";
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
    if (console.incidentsApi == null) {
      console.incidentsApi = "";
    }
    if (!console.incidentsApi.isBlank()) {
      incidentsApiUri(console.incidentsApi);
    }
    if (console.incidentsApiToken == null) {
      console.incidentsApiToken = "";
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
