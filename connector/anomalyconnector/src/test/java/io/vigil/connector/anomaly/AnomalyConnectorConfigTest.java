package io.vigil.connector.anomaly;

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

/** The anomaly connector's testdata: the good config loads, each bad one names its key. */
class AnomalyConnectorConfigTest {

  @Test
  void goodConfigLoads() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (MetricAnomalyConfig) c.component(ComponentKind.CONNECTOR, ComponentId.of("anomaly")).config();
    assertThat(cfg.maxSeries).isEqualTo(500);
    assertThat(cfg.metrics.exclude).containsExactly("otlp\\.exporter\\..*", "queueSize");
    assertThat(cfg.metrics.include).as("unset: every metric").isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml      | connectors::anomaly::max_serie: unknown key",
    "bad-wrong-type.yaml       | connectors::anomaly::max_series: cannot use \"plenty\" as an integer",
    "bad-exclude-lookahead.yaml | connectors::anomaly::metrics::exclude::0: is not a regular expression (Go/RE2 syntax: no look-around or back-references)"
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
