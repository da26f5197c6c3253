package io.vigil.receiver.alertmanager;

/** Config of the {@code alertmanager} receiver. */
public class AlertmanagerReceiverConfig {
  /**
   * Where the webhook listens. Loopback by default: Alertmanager usually runs beside the gateway,
   * and a webhook that opens incidents should not be reachable from everywhere unless asked.
   * 9097 is next to Alertmanager's own 9093/9094 and unused by Prometheus' exporters' defaults.
   */
  public String endpoint = "127.0.0.1:9097";
  /** URL path Alertmanager posts to ({@code webhook_configs: - url: http://HOST:PORT/PATH}). */
  public String path = "/api/v1/alerts";
  /**
   * Bearer token every request must carry ({@code http_config: authorization: credentials:} in
   * Alertmanager's webhook config); {@code ""} = none.
   */
  public String authToken = "";
  /** Largest body accepted, in bytes; larger gets 413. */
  public int maxRequestBodySize = 4 * 1024 * 1024;
  /** Absent: plaintext. Present: TLS, and mutual TLS with {@code client_ca_file}. */
  @com.fasterxml.jackson.annotation.JsonSetter(
      nulls = com.fasterxml.jackson.annotation.Nulls.AS_EMPTY)
  public io.vigil.config.tls.TlsServerSettings tls;
}
