package io.vigil.connector.failureprediction;

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

/** The failureprediction connector's testdata: the good config loads, each bad one names its key. */
class FailurePredictionConfigTest {

  @Test
  void goodConfigLoads() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (FailurePredictionConfig) c.component(ComponentKind.CONNECTOR,
        ComponentId.of("failureprediction")).config();
    assertThat(cfg.model).isEqualTo("checkout-failure");
    assertThat(cfg.threshold).isEqualTo(0.7);
    assertThat(cfg.effectiveFeatures()).extracting(f -> f.name)
        .containsExactly("request_rate", "error_ratio");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml         | connectors::failureprediction::model_file: unknown key",
    "bad-missing-registry.yaml    | connectors::failureprediction::registry: required",
    "bad-model-name.yaml          | connectors::failureprediction::model: model name \"../elsewhere\"",
    "bad-duplicate-feature.yaml   | connectors::failureprediction::features::1::name: \"error_ratio\" is named twice"
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
