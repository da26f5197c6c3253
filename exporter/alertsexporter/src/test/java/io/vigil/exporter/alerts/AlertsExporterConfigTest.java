package io.vigil.exporter.alerts;

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

/** The alerts exporter's testdata: the good config loads, each bad one names its key. */
class AlertsExporterConfigTest {

  @Test
  void goodConfigLoads() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (AlertsExporterConfig) c.component(ComponentKind.EXPORTER, ComponentId.of("alerts")).config();
    assertThat(cfg.webhookUrl).isEqualTo("http://alertmanager:9093/hook");
    assertThat(cfg.maxAttempts).isEqualTo(5);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml      | exporters::alerts::webhook: unknown key",
    "bad-wrong-type.yaml       | exporters::alerts::max_attempts: cannot use \"several\" as an integer"
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
