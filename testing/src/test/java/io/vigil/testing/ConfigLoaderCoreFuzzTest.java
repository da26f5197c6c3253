package io.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.EnvSubstitution;
import io.vigil.core.config.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided (Jazzer) over the config loader itself (YAML, environment expansion, binding,
 * the pipeline graph), with the small test components so that the fuzzer's time goes to the
 * loader rather than to loading every shipped component ({@code ConfigLoaderFuzzTest} in
 * distribution/gateway does that). Any text loads as a validated config or is refused with a
 * {@link ConfigException} listing each problem once, each naming where it is; any other
 * exception, a hang or running out of memory is a crash.
 */
class ConfigLoaderCoreFuzzTest {

  private static final ConfigLoader LOADER = new ConfigLoader(new TestComponents().registry(),
      new EnvSubstitution(Map.of("RCV_PORT", "4317", "HOST", "127.0.0.1")::get));

  /**
   * Bytes, not a String parameter: Jazzer hands a {@code byte[]} over as the raw input, so the
   * committed YAML files seed the run as they are (a String goes through its mutator's own
   * encoding, and the seeds turned into noise: a first run never got past the YAML parser).
   */
  @FuzzTest(maxDuration = "2m")
  void anyTextLoadsOrIsRefusedWithEveryProblem(byte[] text) {
    GatewayConfig config;
    try {
      config = LOADER.load(new String(text, StandardCharsets.UTF_8));
    } catch (ConfigException refused) {
      assertThat(refused.problems()).isNotEmpty();
      Set<String> seen = new HashSet<>();
      for (ConfigException p : refused.problems()) {
        assertThat(p.getMessage()).isNotBlank();
        if (!p.keyPath().isEmpty()) {
          assertThat(p.getMessage()).startsWith(p.keyPath() + ": ");
        }
        assertThat(seen.add(p.getMessage())).as("reported once: %s", p.getMessage()).isTrue();
      }
      return;
    }
    assertThat(config.pipelines()).isNotEmpty();
  }
}
