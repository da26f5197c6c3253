package io.vigil.exporter.otlp;

import io.vigil.config.tls.TlsClientSettings;
import io.vigil.core.auth.AuthSettings;
import io.vigil.exporter.exporterhelper.SendingSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/** Config of the {@code otlp} (gRPC) exporter; keys as the collector's otlpexporter. */
public class OtlpExporterConfig extends SendingSettings {
  /** host:port of the OTLP gRPC server; an http:// prefix means plaintext, https:// TLS. */
  public String endpoint = "";
  public TlsClientSettings tls = new TlsClientSettings();
  /** {@code authenticator: ID} of a client authenticator extension; absent: none. */
  public AuthSettings auth;
  /** Sent as gRPC metadata with every request. */
  public Map<String, String> headers = new LinkedHashMap<>();
  /** gzip (default), zstd, snappy or none: the request's grpc-encoding. */
  public String compression = "gzip";
}
