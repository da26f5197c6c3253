package io.vigil.processor.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.testing.ConfigTestdata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The transform processor's testdata: README examples load, bad configs name key and column. */
class TransformProcessorConfigTest {

  @Test
  void theReadmeExamplesLoadUnchanged() {
    var cfg = (TransformConfig) ConfigTestdata.load("collector-examples.yaml")
        .component(ComponentKind.PROCESSOR, ComponentId.parse("transform/basic")).config();
    assertThat(cfg.errorMode).isEqualTo("ignore");
    assertThat(cfg.traceStatements).hasSize(4);
    assertThat(cfg.metricStatements).hasSize(5);
    assertThat(cfg.logStatements).hasSize(4);
  }

  @Test
  void errorModeDefaultsToIgnoreAsTheReadmeSays() {
    assertThat(new TransformProcessorFactory().createDefaultConfig().errorMode).isEqualTo("ignore");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-statement.yaml          | processors::transform::trace_statements::2: line 1 column 51: unexpected '\"-\"'; expected one of ')', ','",
    "bad-context-conflict.yaml   | processors::transform::metric_statements::0: line 1 column 1: convert_sum_to_gauge can only be used in the metric context, not in datapoint",
    "bad-wrong-signal-path.yaml  | processors::transform::log_statements::0: line 1 column 5: span paths cannot be used here; this signal's contexts are resource, scope, log",
    "bad-group-key.yaml          | processors::transform::trace_statements::0::contxt: unknown key \"contxt\"; valid keys here: conditions, context, error_mode, statements",
    "bad-context.yaml            | processors::transform::trace_statements::0::context: unknown context \"log\" here; valid: resource, scope, span, spanevent",
    "bad-condition.yaml          | processors::transform::log_statements::0::conditions::0: line 1 column 18: unexpected end of input",
    "bad-no-prefix.yaml          | processors::transform::trace_statements::0: line 1 column 1: cannot infer the context",
    "bad-error-mode.yaml         | processors::transform::metric_statements::0::error_mode: must be ignore, silent or propagate, not \"loud\"",
  })
  void badConfigNamesTheKeyAndTheColumn(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
