package io.vigil.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.GatewayConfig;
import io.vigil.exporter.otlp.OtlpExporterConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExporterConfigTest {

  private final ComponentRegistry registry = registry();

  private static ComponentRegistry registry() {
    ComponentRegistry loaded = ComponentRegistry.load();
    ComponentRegistry.Builder b = ComponentRegistry.builder()
        .add(ComponentKind.RECEIVER, new StandInReceiverFactory());
    for (String t : loaded.types(ComponentKind.EXPORTER)) {
      b.add(ComponentKind.EXPORTER, loaded.factory(ComponentKind.EXPORTER, t));
    }
    return b.build();
  }

  private static String yaml(String name) throws IOException {
    try (InputStream in = ExporterConfigTest.class.getResourceAsStream("/otlp/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void goodConfigKeepsDefaultsItDoesNotSet() throws IOException {
    GatewayConfig c = new ConfigLoader(registry).load(yaml("good.yaml"));
    var otlp = (OtlpExporterConfig) c.component(ComponentKind.EXPORTER, ComponentId.of("otlp")).config();
    assertThat(otlp.sendingQueue.queueSize).isEqualTo(10);
    assertThat(otlp.sendingQueue.numConsumers).isEqualTo(10);
    assertThat(otlp.retryOnFailure.maxElapsedTime).isEqualTo(Duration.ZERO);
    assertThat(otlp.retryOnFailure.initialInterval).isEqualTo(Duration.ofSeconds(5));
    assertThat(otlp.compression).isEqualTo("gzip");
    assertThat(otlp.headers).containsEntry("x-api-key", "abc");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-missing-endpoint.yaml | exporters::otlp::endpoint: required",
    "bad-compression.yaml      | exporters::otlp::compression: unsupported value \"zstd\"",
    "bad-queue-key.yaml        | exporters::otlp::sending_queue::queue_sise: unknown key",
    "bad-retry.yaml            | exporters::otlphttp::retry_on_failure::max_interval: must be at least initial_interval",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> new ConfigLoader(registry).load(yaml(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

}
