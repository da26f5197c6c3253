package io.vigil.processor.batch;

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

/** The batch processor's testdata: the good config loads, each bad one names its key. */
class BatchProcessorConfigTest {

  @Test
  void goodConfigLoads() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (BatchConfig) c.component(ComponentKind.PROCESSOR, ComponentId.of("batch")).config();
    assertThat(cfg.sendBatchSize).isEqualTo(512);
    assertThat(cfg.sendBatchMaxSize).isEqualTo(1024);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml      | processors::batch::send_batch_sise: unknown key",
    "bad-wrong-type.yaml       | processors::batch::send_batch_size: cannot use \"lots\" as an integer"
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
