package io.vigil.exporter.jaeger;

import io.vigil.exporter.otlp.OtlpExporterConfig;

/**
 * The {@code otlp} exporter's keys with Jaeger's defaults: Jaeger (1.35+ and v2) ingests OTLP
 * natively on its collector's port 4317, without TLS unless configured.
 */
public class JaegerExporterConfig extends OtlpExporterConfig {
  /** Jaeger UI base URL, for trace links (e.g. {@code http://jaeger-query:16686}). */
  public String uiUrl = "http://localhost:16686";

  public JaegerExporterConfig() {
    endpoint = "jaeger-collector:4317";
    tls.insecure = true;
  }
}
