package io.vigil.exporter.debug;

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

/** The debug exporter's testdata: the good config loads, each bad one names its key. */
class DebugExporterConfigTest {

  @Test
  void goodConfigLoads() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (DebugExporterConfig) c.component(ComponentKind.EXPORTER, ComponentId.of("debug")).config();
    assertThat(cfg.verbosity).isEqualTo("detailed");
    assertThat(cfg.samplingThereafter).isEqualTo(200);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml      | exporters::debug::verbosty: unknown key",
    "bad-wrong-type.yaml       | exporters::debug::sampling_initial: cannot use \"some\" as an integer"
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
