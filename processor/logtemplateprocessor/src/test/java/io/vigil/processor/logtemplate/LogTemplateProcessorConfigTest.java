package io.vigil.processor.logtemplate;

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

/** The logtemplate processor's testdata: the good config loads, each bad one names its key. */
class LogTemplateProcessorConfigTest {

  @Test
  void goodConfigLoads() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (LogTemplateConfig) c.component(ComponentKind.PROCESSOR, ComponentId.of("logtemplate")).config();
    assertThat(cfg.depth).isEqualTo(5);
    assertThat(cfg.anomalies.enabled).isTrue();
    assertThat(cfg.anomalies.learningRecords).isEqualTo(50);
    assertThat(cfg.maxChildren).as("a key the file does not set keeps its default")
        .isEqualTo(new LogTemplateConfig().maxChildren);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml      | processors::logtemplate::anomalies::enabeld: unknown key",
    "bad-wrong-type.yaml       | processors::logtemplate::depth: cannot use \"deep\" as an integer"
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
