package io.vigil.exporter.jaeger;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.ExporterFactory;
import io.vigil.exporter.otlp.OtlpExporterFactory;
import java.util.Set;

/** Type {@code jaeger}: traces to Jaeger over OTLP gRPC, with Jaeger's defaults. */
public final class JaegerExporterFactory implements ExporterFactory<JaegerExporterConfig> {

  private final OtlpExporterFactory otlp = new OtlpExporterFactory();

  @Override
  public String type() {
    return "jaeger";
  }

  @Override
  public JaegerExporterConfig createDefaultConfig() {
    return new JaegerExporterConfig();
  }

  @Override
  public void validate(JaegerExporterConfig c) {
    otlp.validate(c);
    JaegerLinks.validateBase(c.uiUrl);
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.TRACES);
  }

  @Override
  public Exporter create(ComponentSettings s, JaegerExporterConfig c, Set<Signal<?>> signals) {
    return OtlpExporterFactory.createGrpcExporter(s, c, signals);
  }
}
