package io.vigil.processor.memorylimiter;

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

/** The memory_limiter processor's testdata: the good config loads, each bad one names its key. */
class MemoryLimiterProcessorConfigTest {

  @Test
  void goodConfigLoads() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (MemoryLimiterConfig) c.component(ComponentKind.PROCESSOR, ComponentId.of("memory_limiter")).config();
    assertThat(cfg.limitMib).isEqualTo(1024);
    assertThat(cfg.spikeLimitMib).isEqualTo(256);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml      | processors::memory_limiter::spike_limit_mb: unknown key",
    "bad-wrong-type.yaml       | processors::memory_limiter::limit_mib: cannot use \"a gigabyte\" as an integer",
    "bad-missing-required.yaml | processors::memory_limiter::limit_mib: set limit_mib or limit_percentage"
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
