package io.vigil.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.GatewayConfig;
import io.vigil.exporter.prometheus.PrometheusExporterConfig;
import io.vigil.exporter.prometheusremotewrite.RemoteWriteExporterConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Config of the prometheus and prometheusremotewrite exporters: defaults, and errors by key. */
class PrometheusExportersConfigTest {

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
    try (InputStream in =
        PrometheusExportersConfigTest.class.getResourceAsStream("/prometheus/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void goodConfigKeepsDefaultsItDoesNotSet() throws IOException {
    GatewayConfig c = new ConfigLoader(registry).load(yaml("good.yaml"));
    var prom = (PrometheusExporterConfig)
        c.component(ComponentKind.EXPORTER, ComponentId.of("prometheus")).config();
    assertThat(prom.metricExpiration).isEqualTo(Duration.ofMinutes(10));
    assertThat(prom.constLabels).containsEntry("env", "prod");
    assertThat(prom.addMetricSuffixes).isTrue();
    assertThat(prom.promoteResourceAttributes).containsExactly("k8s.namespace.name");
    var rw = (RemoteWriteExporterConfig)
        c.component(ComponentKind.EXPORTER, ComponentId.of("prometheusremotewrite")).config();
    assertThat(rw.externalLabels).containsEntry("cluster", "eu-1");
    assertThat(rw.sendingQueue.numConsumers).as("ordered delivery by default").isEqualTo(1);
    assertThat(rw.targetInfo.enabled).isTrue();
  }

  @Test
  void defaultEndpointIsLoopbackPort8889() {
    assertThat(new PrometheusExporterConfig().endpoint).isEqualTo("127.0.0.1:8889");
    assertThat(new PrometheusExporterConfig().metricExpiration).isEqualTo(Duration.ofMinutes(5));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-endpoint.yaml            | exporters::prometheus::endpoint: expected host:port",
    "bad-expiration.yaml          | exporters::prometheus::metric_expiration: must be a positive",
    "bad-const-label.yaml         | exporters::prometheus::const_labels::env.name: not a valid label name",
    "bad-unknown-key.yaml         | exporters::prometheus::metric_expiry: unknown key",
    "bad-traces-pipeline.yaml     | service::pipelines::traces::exporters: exporter \"prometheus\" does not support traces",
    "bad-rw-missing-endpoint.yaml | exporters::prometheusremotewrite::endpoint: required",
    "bad-rw-external-label.yaml   | exporters::prometheusremotewrite::external_labels::__name__: not a valid label name",
    "bad-rw-queue.yaml            | exporters::prometheusremotewrite::sending_queue::num_consumers: must be at least 1",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> new ConfigLoader(registry).load(yaml(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
