package io.vigil.processor.filter;

import static io.vigil.processor.filter.CollectorExamplesTest.log;
import static io.vigil.processor.filter.CollectorExamplesTest.logs;
import static io.vigil.processor.filter.Requests.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.vigil.core.ConsumeException;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.testing.ConfigTestdata;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The filter processor's testdata: good configs load, bad ones name the key and the column. */
class FilterProcessorConfigTest {

  @Test
  void theReadmeExampleLoadsUnchanged() {
    var cfg = (FilterConfig) ConfigTestdata.load("collector-examples.yaml")
        .component(ComponentKind.PROCESSOR, ComponentId.parse("filter/ottl")).config();
    assertThat(cfg.errorMode).isEqualTo("ignore");
    assertThat(cfg.traces.span).hasSize(3);
    assertThat(cfg.traces.spanevent).containsExactly("attributes[\"grpc\"] == true", "IsMatch(name, \".*grpc.*\")");
    assertThat(cfg.metrics.datapoint).hasSize(2);
    assertThat(cfg.logs.logRecord).hasSize(2);
    assertThat(ConfigTestdata.load("good-metric-functions.yaml")).isNotNull();
  }

  @Test
  void errorModeDefaultsToPropagateAsTheReadmeSays() {
    assertThat(new FilterProcessorFactory().createDefaultConfig().errorMode).isEqualTo("propagate");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-condition.yaml         | processors::filter::traces::span::1: line 1 column 42: unexpected end of input; expected one of a value",
    "bad-wrong-context.yaml     | processors::filter::logs::log_record::0: line 1 column 1: path span.name is not available in the log context",
    "bad-error-mode.yaml        | processors::filter::error_mode: must be ignore, silent or propagate, not \"skip\"",
    "bad-unknown-key.yaml       | processors::filter::traces::spans: unknown key",
    "bad-unknown-function.yaml  | processors::filter::metrics::datapoint::0: line 1 column 1: unknown converter \"HasLabel\"",
  })
  void badConfigNamesTheKeyAndTheColumn(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void propagateRefusesTheBatchWhenAConditionFails() {
    var run = new Requests.Run<>("collector-examples.yaml", "filter/failing", Signal.LOGS);
    LogRecord failing = log("x", SeverityNumber.SEVERITY_NUMBER_INFO).toBuilder().addAttributes(kv("code", 503)).build();
    assertThatThrownBy(() -> run.processor.consume(logs(failing)).join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(ConsumeException.class)
        .hasMessageContaining("Substring")
        .satisfies(e -> assertThat(((ConsumeException) e).isRetryable()).isFalse());
    assertThat(run.out.batches()).isEmpty();
  }

  @Test
  void ignoreTreatsAFailingConditionAsNoMatchAndGoesOnToTheNext() {
    var run = new Requests.Run<>("collector-examples.yaml", "filter/failing_ignored", Signal.LOGS);
    LogRecord failsThenDrops = log("a", SeverityNumber.SEVERITY_NUMBER_INFO).toBuilder()
        .addAttributes(kv("code", 503)).addAttributes(kv("drop", true)).build();
    LogRecord failsAndStays = log("b", SeverityNumber.SEVERITY_NUMBER_INFO).toBuilder()
        .addAttributes(kv("code", 503)).build();
    LogRecord matches = log("c", SeverityNumber.SEVERITY_NUMBER_INFO).toBuilder()
        .addAttributes(kv("code", "504")).build();
    run.processor.consume(logs(failsThenDrops, failsAndStays, matches)).join();
    assertThat(CollectorExamplesTest.bodies(run.out.batches().get(0))).containsExactly("b");
  }
}
