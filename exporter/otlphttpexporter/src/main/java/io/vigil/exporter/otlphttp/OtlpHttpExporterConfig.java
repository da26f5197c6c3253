package io.vigil.exporter.otlphttp;

import io.vigil.config.tls.TlsClientSettings;
import io.vigil.core.auth.AuthSettings;
import io.vigil.exporter.exporterhelper.SendingSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Config of the {@code otlphttp} exporter; keys as the collector's otlphttpexporter. */
public class OtlpHttpExporterConfig extends SendingSettings {
  /** Base URL; /v1/traces, /v1/metrics, /v1/logs are appended. */
  public String endpoint = "";
  /** Full URLs that override the base per signal. */
  public String tracesEndpoint = "";
  public String metricsEndpoint = "";
  public String logsEndpoint = "";
  public Map<String, String> headers = new LinkedHashMap<>();
  /** For https:// endpoints: the CA to trust, the client certificate for mutual TLS. */
  public TlsClientSettings tls = new TlsClientSettings();
  /** {@code authenticator: ID} of a client authenticator extension; absent: none. */
  public AuthSettings auth;
  /** gzip (default), zstd, snappy (framed) or none: the Content-Encoding of request bodies. */
  public String compression = "gzip";
  /** proto (OTLP/HTTP binary protobuf). */
  public String encoding = "proto";

  public OtlpHttpExporterConfig() {
    timeout = Duration.ofSeconds(30);
  }
}
