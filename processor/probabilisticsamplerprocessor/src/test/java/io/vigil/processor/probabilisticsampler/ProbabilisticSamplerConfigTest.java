package io.vigil.processor.probabilisticsampler;

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

/** The Collector README's examples load; bad configs name the key. */
class ProbabilisticSamplerConfigTest {

  @Test
  void theReadmeExamplesLoad() {
    GatewayConfig c = ConfigTestdata.load("collector-examples.yaml");
    var logid = (ProbabilisticSamplerConfig) c.component(ComponentKind.PROCESSOR,
        ComponentId.parse("probabilistic_sampler/logid")).config();
    assertThat(logid.attributeSource).isEqualTo("record");
    assertThat(logid.fromAttribute).isEqualTo("logID");
    assertThat(logid.failClosed).isTrue();
    assertThat(logid.samplingPrecision).isEqualTo(4);
    var eq = (ProbabilisticSamplerConfig) c.component(ComponentKind.PROCESSOR,
        ComponentId.parse("probabilistic_sampler/equalizing")).config();
    assertThat(eq.samplingPercentage).isEqualTo(15.3f);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-mode.yaml                      | processors::probabilistic_sampler::mode: unsupported sampler mode \"consistent\"",
    "bad-negative.yaml                  | processors::probabilistic_sampler::sampling_percentage: must be a number from 0 to 100",
    "bad-record-without-attribute.yaml  | processors::probabilistic_sampler::from_attribute: required when attribute_source is record",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void aMetricsPipelineIsRefused() {
    assertThatThrownBy(() -> ConfigTestdata.load("bad-metrics-pipeline.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("probabilistic_sampler")
        .hasMessageContaining("metrics");
  }
}
