package io.vigil.receiver.fluentforward;

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

/** The fluentforward receiver's testdata: the good config loads, each bad one names its key. */
class FluentForwardReceiverConfigTest {

  @Test
  void goodConfigLoads() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (FluentForwardConfig) c.component(ComponentKind.RECEIVER, ComponentId.of("fluentforward")).config();
    assertThat(cfg.maxFrameSizeMib).isEqualTo(4);
    assertThat(cfg.security.sharedKey).isEqualTo("secret");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml      | receivers::fluentforward::security::shared_secret: unknown key",
    "bad-wrong-type.yaml       | receivers::fluentforward::max_frame_size_mib: cannot use \"sixteen\" as an integer"
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
