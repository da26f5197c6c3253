package io.vigil.exporter.otlp;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.ExporterFactory;
import io.vigil.exporter.exporterhelper.Compression;
import java.util.Set;

/** Type {@code otlp}: OTLP over gRPC. */
public final class OtlpExporterFactory implements ExporterFactory<OtlpExporterConfig> {

  @Override
  public String type() {
    return "otlp";
  }

  @Override
  public OtlpExporterConfig createDefaultConfig() {
    return new OtlpExporterConfig();
  }

  @Override
  public void validate(OtlpExporterConfig c) {
    Endpoint.validate(c.endpoint);
    Compression.parse("compression", c.compression, Compression.all());
    c.tls.validate("tls");
    if (c.auth != null) {
      c.auth.validate("auth");
    }
    c.validateSending();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  public Exporter create(ComponentSettings settings, OtlpExporterConfig config, Set<Signal<?>> signals) {
    return new OtlpGrpcExporter(settings, config, signals);
  }

  /** For presets of this exporter (e.g. {@code jaeger}) that change defaults only. */
  public static Exporter createGrpcExporter(
      ComponentSettings settings, OtlpExporterConfig config, Set<Signal<?>> signals) {
    return new OtlpGrpcExporter(settings, config, signals);
  }
}
