package io.vigil.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.config.ConfigException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

class ScenarioLoaderTest {

  static final java.util.List<String> builtIn = ScenarioLoader.BUILT_IN;

  @ParameterizedTest
  @FieldSource("builtIn")
  void everyBuiltInScenarioLoads(String name) {
    Scenario s = ScenarioLoader.load(name);
    assertThat(s.name()).isEqualTo(name);
    assertThat(s.duration()).isPositive();
  }

  @Test
  void readsShapesFaultsAndDefaults() {
    Scenario s = ScenarioLoader.parse(String.join("\n",
        "name: t",
        "duration: 2m",
        "traffic: {shape: spike, rate: 5, peak_rate: 50, spike_at: 30s, spike_duration: 10s}",
        "faults:",
        "  - {service: inventory, kind: latency, at: 1m, duration: 20s, params: {delay_ms: 250}}"));
    assertThat(s.traffic().shape()).isEqualTo(Scenario.Shape.SPIKE);
    assertThat(s.traffic().spikeAt()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.maxRate()).isEqualTo(200);
    assertThat(s.traffic().mix()).containsOnlyKeys("checkout", "browse");
    assertThat(s.faults()).singleElement().satisfies(f -> {
      assertThat(f.service()).isEqualTo("inventory");
      assertThat(f.end()).isEqualTo(Duration.ofSeconds(80));
      assertThat(f.params()).containsEntry("delay_ms", 250);
    });
  }

  @Test
  void aFaultWithAPrecursorFailsAfterItsRampAndTheOthersFromTheirStart() {
    Scenario s = ScenarioLoader.parse(String.join("\n",
        "name: t",
        "duration: 10m",
        "traffic: {rate: 5}",
        "faults:",
        "  - {service: orders, kind: heap_exhaustion, at: 1m, duration: 6m, params: {ramp_s: 270}}",
        "  - {service: payments, kind: heap_exhaustion, at: 1m, duration: 5m}",
        "  - {service: inventory, kind: latency, at: 8m, duration: 1m}"));
    assertThat(s.faults()).extracting(Scenario.FaultStep::failingAfter)
        .containsExactly(Duration.ofSeconds(270), Duration.ofSeconds(240), null);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "typo'd top-level key|durration: 1m|durration",
      "fault kind unknown|faults: [{service: orders, kind: explode, at: 1s, duration: 1s}]|faults[0]::kind",
      "service unknown|faults: [{service: billing, kind: latency, at: 1s, duration: 1s}]|faults[0]::service",
      "fault past the end|faults: [{service: orders, kind: latency, at: 50s, duration: 20s}]|faults[0]",
      "bad duration|faults: [{service: orders, kind: latency, at: soon, duration: 1s}]|faults[0]::at",
      "unknown request kind|traffic: {rate: 1, mix: {refund: 1}}|traffic::mix::refund",
      "shape unknown|traffic: {shape: sawtooth, rate: 1}|traffic::shape",
      "wave without peak|traffic: {shape: wave, rate: 1}|traffic::peak_rate",
      "rate above max|traffic: {rate: 500}|traffic",
      "seed not a whole number|seed: 1.5|seed",
      "seed a word|seed: lucky|seed",
      "ramp outlasting the fault|faults: [{service: orders, kind: heap_exhaustion, at: 1s, duration: 20s, params: {ramp_s: 20}}]|faults[0]::params::ramp_s",
      "default ramp outlasting the fault|faults: [{service: orders, kind: heap_exhaustion, at: 1s, duration: 50s}]|faults[0]::params::ramp_s",
      "ramp a word|faults: [{service: orders, kind: heap_exhaustion, at: 1s, duration: 20s, params: {ramp_s: long}}]|faults[0]::params::ramp_s",
  })
  void badScenariosNameTheKeyPath(String what, String override, String keyPath) {
    String base = "name: t\nduration: 1m\n";
    String yaml = override.startsWith("traffic") ? base + override
        : override.startsWith("durration") ? "name: t\n" + override + "\ntraffic: {rate: 1}"
        : base + "traffic: {rate: 1}\n" + override;
    assertThatThrownBy(() -> ScenarioLoader.parse(yaml))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).keyPath()).isEqualTo(keyPath));
  }

  @Test
  void missingFileNamesTheBuiltIns() {
    assertThatThrownBy(() -> ScenarioLoader.load("/nonexistent/scenario.yaml"))
        .hasMessageContaining("no scenario file").hasMessageContaining("smoke");
  }
}
