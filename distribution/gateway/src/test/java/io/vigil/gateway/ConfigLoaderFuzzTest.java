package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.EnvSubstitution;
import io.vigil.core.config.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Coverage-guided (Jazzer) over the config loader with every component the gateway ships:
 * any text loads as a validated config or is refused with a {@link ConfigException} naming
 * where; any other exception (a component's validation throwing something else, the YAML
 * parser tripping), a hang or running out of memory is a crash. The committed inputs are
 * configs from the docs and tests.
 */
class ConfigLoaderFuzzTest {

  private static final ConfigLoader LOADER = new ConfigLoader(ComponentRegistry.load(),
      new EnvSubstitution(Map.of("HOST", "127.0.0.1", "TOKEN", "t0k3n")::get));

  /** Bytes, so the committed YAML seeds reach the loader as they are (see ConfigLoaderCoreFuzzTest). */
  @FuzzTest(maxDuration = "2m")
  void anyTextLoadsOrIsRefusedWithAKeyPath(byte[] text) {
    GatewayConfig config;
    try {
      config = LOADER.load(new String(text, StandardCharsets.UTF_8));
    } catch (ConfigException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    assertThat(config.pipelines()).isNotEmpty();
  }
}
