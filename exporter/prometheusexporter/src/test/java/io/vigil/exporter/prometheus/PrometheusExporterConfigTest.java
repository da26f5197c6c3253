package io.vigil.exporter.prometheus;

import io.vigil.testing.ConfigTestdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Config of the prometheus exporter: defaults, and errors by key. */
class PrometheusExporterConfigTest {

  @Test
  void goodConfigKeepsDefaultsItDoesNotSet() throws IOException {
    var c = ConfigTestdata.load("good.yaml");
    var prom = (PrometheusExporterConfig)
        c.component(ComponentKind.EXPORTER, ComponentId.of("prometheus")).config();
    assertThat(prom.metricExpiration).isEqualTo(Duration.ofMinutes(10));
    assertThat(prom.constLabels).containsEntry("env", "prod");
    assertThat(prom.addMetricSuffixes).isTrue();
    assertThat(prom.promoteResourceAttributes).containsExactly("k8s.namespace.name");
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
    "bad-wrong-type.yaml          | exporters::prometheus::add_metric_suffixes: cannot use \"sometimes\" as true or false",
    "bad-traces-pipeline.yaml     | service::pipelines::traces::exporters: exporter \"prometheus\" does not support traces",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
