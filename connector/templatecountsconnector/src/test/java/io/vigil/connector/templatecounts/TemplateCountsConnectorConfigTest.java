package io.vigil.connector.templatecounts;

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

/** The templatecounts connector's testdata: the good config loads, each bad one names its key. */
class TemplateCountsConnectorConfigTest {

  @Test
  void goodConfigLoads() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (TemplateCountsConfig) c.component(ComponentKind.CONNECTOR, ComponentId.of("templatecounts")).config();
    assertThat(cfg.maxTemplates).isEqualTo(500);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml      | connectors::templatecounts::idle_window: unknown key",
    "bad-wrong-type.yaml       | connectors::templatecounts::max_templates: cannot use \"many\" as an integer"
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
