package io.vigil.exporter.kafka;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.ExporterFactory;
import java.util.Set;

/** Type {@code kafka}: OTLP export requests as messages on Kafka topics. */
public final class KafkaExporterFactory implements ExporterFactory<KafkaExporterConfig> {

  @Override
  public String type() {
    return "kafka";
  }

  @Override
  public KafkaExporterConfig createDefaultConfig() {
    return new KafkaExporterConfig();
  }

  @Override
  public void validate(KafkaExporterConfig c) {
    c.validate();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  public Exporter create(
      ComponentSettings settings, KafkaExporterConfig config, Set<Signal<?>> signals) {
    return new KafkaExporter(settings, config, signals);
  }
}
