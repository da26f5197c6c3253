package io.vigil.exporter.jaeger;

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

/** The jaeger exporter's testdata: the good config loads, each bad one names its key. */
class JaegerExporterConfigTest {

  @Test
  void goodConfigLoads() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (JaegerExporterConfig) c.component(ComponentKind.EXPORTER, ComponentId.of("jaeger")).config();
    assertThat(cfg.uiUrl).isEqualTo("http://jaeger:16686");
    assertThat(cfg.endpoint).isEqualTo("jaeger:4317");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml      | exporters::jaeger::ui_link: unknown key",
    "bad-wrong-type.yaml       | exporters::jaeger::headers: wrong kind of value: expected a mapping"
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
