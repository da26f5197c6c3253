package io.vigil.exporter.otlphttp;

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

/** The otlphttp exporter's testdata: the good config loads, each bad one names its key. */
class OtlpHttpExporterConfigTest {

  @Test
  void goodConfigLoads() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (OtlpHttpExporterConfig) c.component(ComponentKind.EXPORTER, ComponentId.of("otlphttp")).config();
    assertThat(cfg.compression).isEqualTo("none");
    assertThat(cfg.headers).containsEntry("x-api-key", "abc");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml      | exporters::otlphttp::traces_endpiont: unknown key",
    "bad-wrong-type.yaml       | exporters::otlphttp::headers: wrong kind of value: expected a mapping",
    "bad-missing-required.yaml | exporters::otlphttp::endpoint: required",
    "bad-tls-server-name.yaml  | exporters::otlphttp::tls::server_name_override: is not supported by this component",
    "bad-tls-min-version.yaml  | exporters::otlphttp::tls::max_version: is below min_version (1.3)"
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
