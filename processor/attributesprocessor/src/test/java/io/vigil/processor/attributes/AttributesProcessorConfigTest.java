package io.vigil.processor.attributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.pipeline.PipelineGraph;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.ConfigTestdata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The attributes processor's testdata: the Collector's examples load, bad configs name the key. */
class AttributesProcessorConfigTest {

  @Test
  void theCollectorsTestdataLoadsUnchanged() {
    GatewayConfig c = ConfigTestdata.load("collector-examples.yaml");
    var cfg = (AttributesConfig) c.component(ComponentKind.PROCESSOR,
        ComponentId.parse("attributes/selectiveprocessing")).config();
    assertThat(cfg.actions).hasSize(2);
    assertThat(cfg.include.services).containsExactly("svcA", "svcB");
    assertThat(cfg.exclude.attributes.get(0).value).isEqualTo(false);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-missing-actions.yaml  | processors::attributes::actions: required: at least one action",
    "bad-unknown-action.yaml   | processors::attributes::actions::1::action: unknown action \"rename\"",
    "bad-unnamed-group.yaml    | processors::attributes/regex_insert::actions::0::pattern: has an unnamed group",
    "bad-match-type.yaml       | processors::attributes::include::match_type: unknown match type \"glob\"",
    "bad-unknown-key.yaml      | processors::attributes::include::service_names: unknown key",
    "bad-selects-nothing.yaml  | processors::attributes::exclude: for any signal set at least one of services",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void aPropertyTheSignalLacksFailsWhenThePipelineIsBuilt() {
    GatewayConfig c = ConfigTestdata.load("bad-log-bodies-on-spans.yaml");
    assertThatThrownBy(() -> PipelineGraph.build(c, new GatewayTelemetry()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("processors::attributes::include::log_bodies: cannot be used for spans");
  }
}
