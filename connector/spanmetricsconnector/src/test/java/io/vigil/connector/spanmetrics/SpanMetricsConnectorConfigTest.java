package io.vigil.connector.spanmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.testing.ConfigTestdata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The spanmetrics connector's testdata: the good config loads, each bad one names its key. */
class SpanMetricsConnectorConfigTest {

  @Test
  void goodConfigLoads() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (SpanMetricsConfig) c.component(ComponentKind.CONNECTOR, ComponentId.of("spanmetrics")).config();
    assertThat(cfg.namespace).isEqualTo("red");
    assertThat(cfg.dimensions).hasSize(1);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml      | connectors::spanmetrics::histogram::unti: unknown key",
    "bad-wrong-type.yaml       | connectors::spanmetrics::exemplars::max_per_data_point: cannot use \"five\" as an integer",
    "bad-missing-required.yaml | connectors::spanmetrics::dimensions::0::name: required"
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
