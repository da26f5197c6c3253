package io.vigil.exporter.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.testing.ConfigTestdata;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IncidentsExporterConfigTest {

  @Test
  void goodConfigKeepsDefaultsItDoesNotSet() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (IncidentsExporterConfig) c.component(ComponentKind.EXPORTER,
        ComponentId.of("incidents")).config();
    assertThat(cfg.directory).isEqualTo("/var/lib/vigil/incidents");
    assertThat(cfg.groupWindow).isEqualTo(Duration.ofMinutes(5));
    assertThat(cfg.reopenWindow).isEqualTo(Duration.ofHours(24));
    assertThat(cfg.links).containsOnlyKeys("jaeger", "kibana");
    assertThat(cfg.api.endpoint).isEqualTo("127.0.0.1:18687");
    assertThat(cfg.api.token).isEqualTo("letmein");
    assertThat(cfg.classifier).isEqualTo("none");
    assertThat(cfg.recommender).isEqualTo("none");
    assertThat(new IncidentsExporterFactory().listenAddresses(cfg))
        .containsEntry("api::endpoint", "127.0.0.1:18687");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml       | exporters::incidents::api::tokne: unknown key",
    "bad-missing-required.yaml  | exporters::incidents::directory: required",
    "bad-wrong-type.yaml        | exporters::incidents::reopen_window: wrong kind of value: expected a duration",
    "bad-link-placeholder.yaml  | exporters::incidents::links::grafana: unknown placeholder {servce}",
    "bad-classifier.yaml        | exporters::incidents::classifier: no CauseClassifier named \"bert\"",
    "bad-traces-pipeline.yaml   | service::pipelines::traces::exporters: exporter \"incidents\" does not support traces",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
